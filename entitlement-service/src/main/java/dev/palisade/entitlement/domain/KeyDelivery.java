package dev.palisade.entitlement.domain;

import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.palisade.entitlement.api.EntitlementProblems;
import dev.palisade.entitlement.repository.ChannelRepository;
import dev.palisade.entitlement.repository.EntitlementRepository;
import dev.palisade.entitlement.repository.PlaybackSessionRepository;
import dev.palisade.entitlement.security.PlaybackTokenVerifier;
import dev.palisade.entitlement.security.PlaybackTokenVerifier.Playback;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Hands content keys to players. Every delivery needs a playback token for that channel whose session is still
 * running in the ledger (so a revoked, evicted or expired session gets no key, even with an unexpired token), and only
 * keys of the current, next or recent periods are given out.
 */
@ApplicationScoped
public class KeyDelivery {

    /** A checked request: the token's claims, the running session and the viewer's entitlement. */
    public record Authorised(Playback playback, PlaybackSession session, Entitlement entitlement, Channel channel) {
    }

    private final PlaybackTokenVerifier tokens;
    private final PlaybackSessionRepository sessions;
    private final EntitlementRepository entitlements;
    private final ChannelRepository channels;
    private final ContentKeyService keys;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    KeyDelivery(PlaybackTokenVerifier tokens, PlaybackSessionRepository sessions, EntitlementRepository entitlements,
            ChannelRepository channels, ContentKeyService keys, MeterRegistry metrics) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.entitlements = entitlements;
        this.channels = channels;
        this.keys = keys;
        this.metrics = metrics;
    }

    /** Verifies the token and the session behind it; fails with the problem a player should see. */
    public Uni<Authorised> authorise(String token, String channelId, String clientIp) {
        Playback playback;
        try {
            playback = tokens.verify(token, channelId, clientIp);
        } catch (HttpProblem p) {
            refused(p);
            return Uni.createFrom().failure(p);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withSession(() -> sessions.findById(playback.sessionId()).chain(session -> {
            if (session == null || !session.accountId.equals(playback.accountId()) || !session.channelId.equals(channelId)) {
                throw refused(EntitlementProblems.of(Response.Status.FORBIDDEN, "session-revoked", "Playback session not running",
                        "The playback session of this token does not exist."));
            }
            if (!session.isLive(now)) {
                String reason = session.endReason != null ? session.endReason : "expired";
                throw refused(HttpProblem.builder().withType(URI.create("https://palisade.dev/problems/session-revoked"))
                        .withTitle("Playback session not running").withStatus(Response.Status.FORBIDDEN)
                        .withDetail("The playback session of this token has ended (" + reason + "). Start a new one.")
                        .with("reason", reason).build());
            }
            return entitlements.findById(playback.accountId()).chain(entitlement -> {
                if (entitlement == null || !entitlement.isActive()) {
                    throw refused(EntitlementProblems.playbackDenied("not_entitled", 0));
                }
                return channels.findById(channelId).map(channel -> {
                    if (channel == null) {
                        throw EntitlementProblems.notFound("Channel " + channelId);
                    }
                    return new Authorised(playback, session, entitlement, channel);
                });
            });
        }));
    }

    /** The HLS AES-128 key {@code kid} of the channel, for an authorised viewer. */
    public Uni<ContentKeyService.ClearKey> hlsKey(String token, String channelId, String kid, String clientIp) {
        UUID keyId = parseKid(kid);
        return authorise(token, channelId, clientIp)
                .chain(auth -> Panache.withSession(() -> keys.byKid(channelId, keyId)))
                .map(key -> {
                    if (key == null || !keys.deliverable(key)) {
                        throw unknownKey();
                    }
                    metrics.counter("palisade_content_keys_delivered_total", "method", "hls-aes128").increment();
                    return key;
                });
    }

    /** Clear Key: the requested key ids of the channel that may be delivered now (unknown ones are left out). */
    public Uni<List<ContentKeyService.ClearKey>> clearKeys(String token, String channelId, List<UUID> kids, String clientIp) {
        return authorise(token, channelId, clientIp).chain(auth -> Panache.withSession(() -> {
            Uni<List<ContentKeyService.ClearKey>> chain = Uni.createFrom().item(new ArrayList<>());
            for (UUID kid : kids) {
                chain = chain.chain(list -> keys.byKid(channelId, kid).map(k -> {
                    if (k != null && keys.deliverable(k)) {
                        list.add(k);
                    }
                    return list;
                }));
            }
            return chain;
        })).map(list -> {
            if (list.isEmpty()) {
                throw unknownKey();
            }
            metrics.counter("palisade_content_keys_delivered_total", "method", "clearkey").increment(list.size());
            return list;
        });
    }

    /** For a licence proxy: the authorised request plus the keys of the current and next period (created if needed). */
    public Uni<LicenceGrant> licenceGrant(String token, String channelId, String clientIp) {
        return authorise(token, channelId, clientIp).chain(auth -> Panache.withTransaction(() -> {
            long current = keys.currentPeriod(auth.channel());
            return keys.range(auth.channel(), current, current + 1);
        }).map(list -> new LicenceGrant(auth, list)));
    }

    public record LicenceGrant(Authorised authorised, List<ContentKeyService.ClearKey> keys) {
    }

    public static UUID parseKid(String kid) {
        try {
            return UUID.fromString(kid);
        } catch (IllegalArgumentException e) {
            throw unknownKey();
        }
    }

    static HttpProblem unknownKey() {
        return EntitlementProblems.of(Response.Status.NOT_FOUND, "unknown-content-key", "Unknown content key",
                "This channel has no deliverable key with that id (unknown, or its period is over).");
    }

    private HttpProblem refused(HttpProblem p) {
        String type = p.getType() == null ? "unknown" : p.getType().getPath().replace("/problems/", "");
        metrics.counter("palisade_content_key_refusals_total", "reason", type).increment();
        return p;
    }
}
