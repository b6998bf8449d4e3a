package dev.palisade.entitlement.messaging;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.entitlement.domain.PlaybackSessionService;
import dev.palisade.entitlement.repository.ProcessedEventRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies monitor-service's decisions on {@code security.actions} to playback: {@code account.lock} and
 * {@code sessions.revoke} end every running session of the account (each published as {@code playback.revoked}, which
 * gateways act on). Each CloudEvents id is applied once.
 */
@ApplicationScoped
public class SecurityActionsConsumer {

    private static final Logger LOG = Logger.getLogger(SecurityActionsConsumer.class);

    private final PlaybackSessionService playback;
    private final ProcessedEventRepository inbox;
    private final ObjectMapper json;

    SecurityActionsConsumer(PlaybackSessionService playback, ProcessedEventRepository inbox, ObjectMapper json) {
        this.playback = playback;
        this.inbox = inbox;
        this.json = json;
    }

    @Incoming("security-actions")
    @Retry(maxRetries = 5, delay = 500)
    public Uni<Void> consume(Message<String> message) {
        var ce = message.getMetadata(io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata.class).orElse(null);
        if (ce == null) {
            return Uni.createFrom().completionStage(message.ack());
        }
        boolean endsPlayback = "account.lock".equals(ce.getType()) || "sessions.revoke".equals(ce.getType());
        UUID accountId;
        String reason;
        try {
            JsonNode data = json.readTree(message.getPayload());
            accountId = UUID.fromString(data.path("accountId").asText());
            reason = "security_action:" + data.path("reason").asText(ce.getType());
        } catch (Exception e) {
            LOG.warnf("security.actions event %s (%s) has no valid accountId; ignored", ce.getId(), ce.getType());
            return Uni.createFrom().completionStage(message.ack());
        }
        return Panache.withTransaction(() -> inbox.markProcessed(ce.getId(), ce.getType(), OffsetDateTime.now(ZoneOffset.UTC))
                .chain(first -> first && endsPlayback ? playback.revokeAll(accountId, reason).replaceWithVoid()
                        : Uni.createFrom().voidItem()))
                .chain(() -> Uni.createFrom().completionStage(message.ack()));
    }
}
