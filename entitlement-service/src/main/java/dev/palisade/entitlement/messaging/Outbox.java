package dev.palisade.entitlement.messaging;

import java.time.Clock;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.entitlement.domain.OutboxEvent;
import dev.palisade.entitlement.repository.OutboxEventRepository;
import io.smallrye.mutiny.Uni;

/**
 * Where the service records the events it publishes on {@code entitlement.events}. {@link #enqueue} must run inside the
 * transaction of the state change it describes; {@link OutboxRelay} sends the event once that transaction commits.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxEventRepository repository;
    private final ObjectMapper json;
    private final Clock clock;

    Outbox(OutboxEventRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /**
     * @param key the entity the event is about (the Kafka record key)
     * @param type the CloudEvents type, e.g. {@code login.succeeded}
     * @param payload a record serialised as the JSON data of the event
     */
    public Uni<OutboxEvent> enqueue(String key, String type, Object payload) {
        String data;
        try {
            data = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("Event payload of " + type + " is not serialisable", e));
        }
        return repository.persist(OutboxEvent.of(key, type, data, OffsetDateTime.now(clock)));
    }
}
