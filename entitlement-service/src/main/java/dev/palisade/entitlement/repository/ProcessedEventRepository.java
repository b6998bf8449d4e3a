package dev.palisade.entitlement.repository;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The inbox of consumed events: {@link #markProcessed} is true only for the first delivery of an event id. */
@ApplicationScoped
public class ProcessedEventRepository {

    /** Records the event id in the current transaction; false when it was processed before. */
    public Uni<Boolean> markProcessed(String eventId, String type, OffsetDateTime now) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("INSERT INTO processed_event (event_id, event_type, processed_at) VALUES (:id, :type, :now)"
                        + " ON CONFLICT (event_id) DO NOTHING")
                .setParameter("id", eventId).setParameter("type", type).setParameter("now", now)
                .executeUpdate()).map(rows -> rows == 1);
    }
}
