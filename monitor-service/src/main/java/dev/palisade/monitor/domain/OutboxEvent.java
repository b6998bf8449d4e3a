package dev.palisade.monitor.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An event waiting in the transactional outbox, or already relayed to Kafka ({@link #publishedAt} set). */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    private static final int MAX_ERROR_LENGTH = 500;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id", nullable = false, updatable = false)
    public UUID eventId;

    /** Kafka record key: the entity the event is about, so order per key holds. */
    @Column(name = "event_key", nullable = false, updatable = false)
    public String eventKey;

    /** CloudEvents type, e.g. {@code login.succeeded}. */
    @Column(name = "event_type", nullable = false, updatable = false)
    public String eventType;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "payload", nullable = false, updatable = false)
    public String payload;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "published_at")
    public OffsetDateTime publishedAt;

    @Column(name = "attempts", nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    public static OutboxEvent of(String key, String type, String jsonPayload, OffsetDateTime now) {
        OutboxEvent event = new OutboxEvent();
        event.eventId = UUID.randomUUID();
        event.eventKey = key;
        event.eventType = type;
        event.payload = jsonPayload;
        event.createdAt = now;
        return event;
    }

    public void markPublished(OffsetDateTime now) {
        attempts++;
        publishedAt = now;
        lastError = null;
    }

    public void markFailed(Throwable failure) {
        attempts++;
        String message = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        lastError = message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
    }
}
