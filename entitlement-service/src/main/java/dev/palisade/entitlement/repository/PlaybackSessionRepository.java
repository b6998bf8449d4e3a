package dev.palisade.entitlement.repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.domain.PlaybackSession;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class PlaybackSessionRepository implements PanacheRepositoryBase<PlaybackSession, UUID> {

    /** Sessions of the account that count against its limit now, oldest first. */
    public Uni<List<PlaybackSession>> live(UUID accountId, OffsetDateTime now) {
        return list("accountId = ?1 and endedAt is null and expiresAt > ?2 order by startedAt, id", accountId, now);
    }

    /** Sessions not ended whose heartbeat is overdue. */
    public Uni<List<PlaybackSession>> silent(OffsetDateTime now, int limit) {
        return find("endedAt is null and expiresAt <= ?1 order by expiresAt", now).page(0, limit).list();
    }

    public Uni<List<PlaybackSession>> notEnded(UUID accountId) {
        return list("accountId = ?1 and endedAt is null", accountId);
    }
}
