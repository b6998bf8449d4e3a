package dev.palisade.gateway.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.gateway.domain.PlaybackSessions;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Follows {@code entitlement.events}: {@code playback.revoked} and {@code playback.ended} put the session in the
 * revocation set (refused from the next request on); {@code playback.started} records the session as a watermark
 * candidate. Every replica reads every event (a consumer group of its own, see application.properties) and, on start,
 * reads back {@code palisade.gateway.revocation.rewind} ({@link EntitlementEventsRewind}). Applying an event twice is
 * harmless, so no deduplication is needed.
 */
@ApplicationScoped
public class EntitlementEventsConsumer {

    private static final Logger LOG = Logger.getLogger(EntitlementEventsConsumer.class);

    private final PlaybackSessions sessions;
    private final ObjectMapper json;

    EntitlementEventsConsumer(PlaybackSessions sessions, ObjectMapper json) {
        this.sessions = sessions;
        this.json = json;
    }

    @Incoming("entitlement-events")
    public CompletionStage<Void> consume(Message<String> message) {
        try {
            apply(type(message), message.getPayload());
        } catch (RuntimeException e) {
            LOG.warnf("entitlement.events record not applied: %s", e.getMessage());
        }
        return message.ack();
    }

    void apply(String type, String payload) {
        if (type == null || payload == null) {
            return;
        }
        switch (type) {
            case "playback.revoked", "playback.ended" -> {
                JsonNode data = read(payload);
                String sessionId = data.path("sessionId").asText(null);
                if (sessionId != null) {
                    sessions.revoke(sessionId);
                    LOG.debugf("Playback session %s refused from now on (%s: %s)", sessionId, type, data.path("reason").asText());
                }
            }
            case "playback.started" -> {
                JsonNode data = read(payload);
                String sessionId = data.path("sessionId").asText(null);
                if (sessionId != null && data.hasNonNull("watermarkId")) {
                    Instant at;
                    try {
                        at = OffsetDateTime.parse(data.path("at").asText()).toInstant();
                    } catch (RuntimeException e) {
                        at = Instant.now();
                    }
                    sessions.started(new PlaybackSessions.SessionInfo(sessionId, data.path("accountId").asText(null),
                            data.path("channelId").asText(null), data.path("watermarkId").asLong(), at));
                }
            }
            default -> {
            }
        }
    }

    private JsonNode read(String payload) {
        try {
            return json.readTree(payload);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    private static String type(Message<String> message) {
        var ce = message.getMetadata(io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata.class);
        if (ce.isPresent()) {
            return ce.get().getType();
        }
        return message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> {
            Header header = m.getHeaders().lastHeader("ce_type");
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }).orElse(null);
    }
}
