package dev.palisade.entitlement.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.messaging.EntitlementEvents;
import dev.palisade.entitlement.messaging.Outbox;
import dev.palisade.entitlement.repository.EntitlementRepository;
import io.smallrye.mutiny.Uni;

/**
 * Grants and revokes entitlements. Each change carries the time of the state it reflects; a change older than the
 * stored state is ignored, so redelivered or out-of-order events never roll an account back. Revoking ends every
 * playback session of the account. Methods run in the caller's transaction.
 */
@ApplicationScoped
public class EntitlementService {

    /** The desired state of an account's entitlement. */
    public record Grant(String planId, List<String> packages, int maxStreams, OverflowPolicy policy) {
    }

    private final EntitlementRepository entitlements;
    private final PlaybackSessionService playback;
    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();

    EntitlementService(EntitlementRepository entitlements, PlaybackSessionService playback, Outbox outbox) {
        this.entitlements = entitlements;
        this.playback = playback;
        this.outbox = outbox;
    }

    /** Applies a grant as of {@code stateAt}; false when a newer state is already stored. */
    public Uni<Boolean> grant(UUID accountId, Grant grant, String source, OffsetDateTime stateAt) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return entitlements.lock(accountId).chain(existing -> {
            if (existing != null && existing.stateAt.isAfter(stateAt)) {
                return Uni.createFrom().item(false);
            }
            Entitlement e = existing != null ? existing : new Entitlement();
            e.accountId = accountId;
            e.status = Entitlement.ACTIVE;
            e.planId = grant.planId();
            e.packages = String.join(",", grant.packages());
            e.maxStreams = grant.maxStreams();
            e.overflowPolicy = grant.policy().wire();
            e.source = source;
            e.stateAt = stateAt;
            e.updatedAt = now;
            Uni<Entitlement> saved = existing != null ? Uni.createFrom().item(e) : entitlements.persist(e);
            return saved.call(s -> outbox.enqueue(accountId.toString(), EntitlementEvents.GRANTED, new EntitlementEvents.EntitlementChanged(
                    accountId.toString(), s.planId, grant.packages(), s.maxStreams, s.overflowPolicy, source, now.toInstant())))
                    .replaceWith(true);
        });
    }

    /** Revokes as of {@code stateAt} and ends the account's sessions; false when there was nothing newer to change. */
    public Uni<Boolean> revoke(UUID accountId, String reason, String source, OffsetDateTime stateAt) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return entitlements.lock(accountId).chain(existing -> {
            if (existing == null || existing.stateAt.isAfter(stateAt) || !existing.isActive()) {
                return Uni.createFrom().item(false);
            }
            existing.status = Entitlement.REVOKED;
            existing.source = source;
            existing.stateAt = stateAt;
            existing.updatedAt = now;
            return outbox.enqueue(accountId.toString(), EntitlementEvents.REVOKED, new EntitlementEvents.EntitlementChanged(
                    accountId.toString(), existing.planId, List.copyOf(existing.packageIds()), existing.maxStreams,
                    existing.overflowPolicy, source, now.toInstant()))
                    .chain(() -> playback.revokeAll(accountId, "entitlement_revoked:" + reason)).replaceWith(true);
        });
    }

    public Uni<Entitlement> find(UUID accountId) {
        return entitlements.findById(accountId);
    }
}
