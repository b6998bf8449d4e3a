package dev.palisade.entitlement.domain;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.entitlement.api.EntitlementProblems;
import dev.palisade.entitlement.config.PlaybackConfig;
import dev.palisade.entitlement.messaging.EntitlementEvents;
import dev.palisade.entitlement.messaging.Outbox;
import dev.palisade.entitlement.repository.ChannelRepository;
import dev.palisade.entitlement.repository.EntitlementRepository;
import dev.palisade.entitlement.repository.PlaybackSessionRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The concurrency ledger: starting a session locks the account's entitlement row, so parallel starts of one account
 * run one after another and can never exceed the plan's limit. Over the limit the plan decides: refuse the new stream
 * or end the oldest. Heartbeats keep a session alive; silent ones expire. Every decision is an event.
 */
@ApplicationScoped
public class PlaybackSessionService {

    private static final Logger LOG = Logger.getLogger(PlaybackSessionService.class);

    /** Who asks, from where. */
    public record Viewer(UUID accountId, String deviceId, String clientIp) {
    }

    private final EntitlementRepository entitlements;
    private final PlaybackSessionRepository sessions;
    private final ChannelRepository channels;
    private final Outbox outbox;
    private final PlaybackConfig config;
    private final MeterRegistry metrics;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    PlaybackSessionService(EntitlementRepository entitlements, PlaybackSessionRepository sessions, ChannelRepository channels,
            Outbox outbox, PlaybackConfig config, MeterRegistry metrics) {
        this.entitlements = entitlements;
        this.sessions = sessions;
        this.channels = channels;
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
    }

    /** Starts a session on {@code channelId}, or fails with a problem saying why not. */
    public Uni<PlaybackSession> start(Viewer viewer, String channelId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> channels.findById(channelId).chain(channel -> {
            if (channel == null) {
                throw EntitlementProblems.notFound("Channel " + channelId);
            }
            return entitlements.lock(viewer.accountId());
        }).chain(entitlement -> {
            if (entitlement == null || !entitlement.isActive()) {
                return Uni.createFrom().item(Decision.deny("not_entitled"));
            }
            return channels.isInPackages(channelId, entitlement.packageIds()).chain(included -> included
                    ? admit(entitlement, viewer, channelId, now)
                    : Uni.createFrom().item(Decision.deny("channel_not_in_plan")));
        })).chain(decision -> {
            if (decision.session() != null) {
                metrics.counter("palisade_playback_sessions_started_total").increment();
                return Uni.createFrom().item(decision.session());
            }
            metrics.counter("palisade_playback_denied_total", "reason", decision.reason()).increment();
            return Panache.withTransaction(() -> outbox.enqueue(viewer.accountId().toString(), EntitlementEvents.PLAYBACK_DENIED,
                    new EntitlementEvents.PlaybackDenied(viewer.accountId().toString(), channelId, decision.reason(), viewer.deviceId(),
                            viewer.clientIp(), now.toInstant())))
                    .map(ignored -> {
                        throw EntitlementProblems.playbackDenied(decision.reason(), decision.limit());
                    });
        });
    }

    /** Extends a live session of the viewer; fails when it is not theirs (404) or no longer live (410). */
    public Uni<PlaybackSession> heartbeat(UUID accountId, UUID sessionId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> sessions.findById(sessionId).map(session -> {
            if (session == null || !session.accountId.equals(accountId)) {
                throw EntitlementProblems.notFound("Playback session " + sessionId);
            }
            if (!session.isLive(now)) {
                throw EntitlementProblems.sessionEnded(session.endReason == null ? "expired" : session.endReason);
            }
            session.lastHeartbeatAt = now;
            session.expiresAt = now.plus(config.sessionTtl());
            return session;
        }));
    }

    /** Ends a session of the viewer (idempotent); 404 when it is not theirs. */
    public Uni<Void> stop(UUID accountId, UUID sessionId) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> sessions.findById(sessionId).chain(session -> {
            if (session == null || !session.accountId.equals(accountId)) {
                throw EntitlementProblems.notFound("Playback session " + sessionId);
            }
            if (session.endedAt != null) {
                return Uni.createFrom().voidItem();
            }
            return end(session, "stopped", EntitlementEvents.PLAYBACK_ENDED, now);
        }));
    }

    /** Ends every session of an account (entitlement loss, operator, security action). Call in a transaction. */
    public Uni<Integer> revokeAll(UUID accountId, String reason) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.notEnded(accountId).chain(list -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (PlaybackSession s : list) {
                chain = chain.chain(() -> end(s, reason, EntitlementEvents.PLAYBACK_REVOKED, now));
            }
            return chain.replaceWith(list.size());
        });
    }

    /** Ends one session by the platform (published as revoked: gateways refuse it). Call in a transaction. */
    public Uni<Void> endOne(PlaybackSession session, String reason) {
        return end(session, reason, EntitlementEvents.PLAYBACK_REVOKED, OffsetDateTime.now(clock));
    }

    public Uni<List<PlaybackSession>> live(UUID accountId) {
        return Panache.withSession(() -> sessions.live(accountId, OffsetDateTime.now(clock)));
    }

    @Scheduled(every = "${palisade.playback.expiry-sweep}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> endSilentSessions() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> sessions.silent(now, 500).chain(list -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (PlaybackSession s : list) {
                chain = chain.chain(() -> end(s, "expired", EntitlementEvents.PLAYBACK_ENDED, now));
            }
            return chain;
        })).onFailure().invoke(e -> LOG.warnf("Ending silent playback sessions failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private Uni<Decision> admit(Entitlement entitlement, Viewer viewer, String channelId, OffsetDateTime now) {
        return sessions.live(viewer.accountId(), now).chain(live -> {
            int excess = live.size() + 1 - entitlement.maxStreams;
            Uni<Void> makeRoom = Uni.createFrom().voidItem();
            if (excess > 0) {
                if (entitlement.policy() == OverflowPolicy.REFUSE || entitlement.maxStreams == 0) {
                    return Uni.createFrom().item(new Decision(null, "too_many_streams", entitlement.maxStreams));
                }
                for (PlaybackSession oldest : live.subList(0, Math.min(excess, live.size()))) {
                    makeRoom = makeRoom.chain(() -> end(oldest, "evicted_by_newer_stream", EntitlementEvents.PLAYBACK_REVOKED, now));
                }
            }
            PlaybackSession session = new PlaybackSession();
            session.id = UUID.randomUUID();
            session.accountId = viewer.accountId();
            session.channelId = channelId;
            session.deviceId = viewer.deviceId();
            session.clientIp = viewer.clientIp();
            session.watermarkId = random.nextLong() & Long.MAX_VALUE;
            session.startedAt = now;
            session.lastHeartbeatAt = now;
            session.expiresAt = now.plus(config.sessionTtl());
            return makeRoom.chain(() -> sessions.persist(session))
                    .call(s -> outbox.enqueue(s.accountId.toString(), EntitlementEvents.PLAYBACK_STARTED,
                            new EntitlementEvents.PlaybackStarted(s.accountId.toString(), s.id.toString(), channelId, s.deviceId,
                                    s.clientIp, s.watermarkId, now.toInstant())))
                    .map(s -> new Decision(s, null, entitlement.maxStreams));
        });
    }

    private Uni<Void> end(PlaybackSession session, String reason, String eventType, OffsetDateTime now) {
        session.end(reason, now);
        return outbox.enqueue(session.accountId.toString(), eventType, new EntitlementEvents.PlaybackEnded(
                session.accountId.toString(), session.id.toString(), session.channelId, reason, now.toInstant())).replaceWithVoid();
    }

    private record Decision(PlaybackSession session, String reason, int limit) {
        static Decision deny(String reason) {
            return new Decision(null, reason, 0);
        }
    }
}
