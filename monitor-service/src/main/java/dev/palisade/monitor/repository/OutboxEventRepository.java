package dev.palisade.monitor.repository;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.monitor.domain.OutboxEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class OutboxEventRepository implements PanacheRepository<OutboxEvent> {

    /** Locks the oldest unpublished events, skipping rows another relay instance holds. Call in a transaction. */
    public Uni<List<OutboxEvent>> lockPending(int limit) {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT * FROM outbox_event WHERE published_at IS NULL ORDER BY id LIMIT :limit"
                        + " FOR UPDATE SKIP LOCKED", OutboxEvent.class)
                .setParameter("limit", limit)
                .getResultList());
    }

    public Uni<Long> countPending() {
        return count("publishedAt is null");
    }

    /** How long the oldest unpublished event has waited, if any waits. */
    public Uni<Optional<Duration>> oldestPendingAge(OffsetDateTime now) {
        return find("publishedAt is null order by id").firstResult()
                .map(e -> Optional.ofNullable(e).map(event -> Duration.between(event.createdAt, now)));
    }
}
