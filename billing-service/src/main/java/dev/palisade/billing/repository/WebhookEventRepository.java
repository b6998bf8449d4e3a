package dev.palisade.billing.repository;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The log of accepted webhook events; one row per event id. */
@ApplicationScoped
public class WebhookEventRepository {

    /**
     * Records the event unless its id was recorded before. A concurrent duplicate waits here for the first to commit.
     *
     * @return true when this is the first time the event is seen
     */
    public Uni<Boolean> recordOnce(String eventId, String gateway, String type, String payload, OffsetDateTime now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "INSERT INTO webhook_event (event_id, gateway, event_type, payload, received_at)"
                        + " VALUES (:id, :gateway, :type, CAST(:payload AS jsonb), :now) ON CONFLICT (event_id) DO NOTHING")
                .setParameter("id", eventId).setParameter("gateway", gateway).setParameter("type", type)
                .setParameter("payload", payload).setParameter("now", now)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    public Uni<Long> count(String eventId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT count(*) FROM webhook_event WHERE event_id = :id", Long.class)
                .setParameter("id", eventId).getSingleResult());
    }
}
