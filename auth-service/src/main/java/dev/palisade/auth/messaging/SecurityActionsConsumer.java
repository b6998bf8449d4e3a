package dev.palisade.auth.messaging;

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

import dev.palisade.auth.domain.AccountAdministration;
import dev.palisade.auth.repository.ProcessedEventRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Applies the decisions monitor-service publishes on {@code security.actions} (CloudEvents; data
 * {@code {"accountId": "...", "reason": "..."}}): {@code account.lock} locks the account and ends its sessions,
 * {@code sessions.revoke} ends its sessions, {@code step-up.require} ends its password-only sessions. Each event id is
 * applied once, in the same transaction that records it, so redelivery changes nothing.
 */
@ApplicationScoped
public class SecurityActionsConsumer {

    private static final Logger LOG = Logger.getLogger(SecurityActionsConsumer.class);

    public static final String LOCK = "account.lock";
    public static final String REVOKE_SESSIONS = "sessions.revoke";
    public static final String REQUIRE_STEP_UP = "step-up.require";

    private final AccountAdministration administration;
    private final ProcessedEventRepository inbox;
    private final ObjectMapper json;

    SecurityActionsConsumer(AccountAdministration administration, ProcessedEventRepository inbox, ObjectMapper json) {
        this.administration = administration;
        this.inbox = inbox;
        this.json = json;
    }

    @Incoming("security-actions")
    @Retry(maxRetries = 5, delay = 500)
    public Uni<Void> consume(Message<String> message) {
        IncomingCloudEventMetadata<?> ce = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (ce == null) {
            LOG.warn("security.actions record without CloudEvents headers ignored");
            return Uni.createFrom().completionStage(message.ack());
        }
        String type = ce.getType();
        JsonNode data;
        UUID accountId;
        try {
            data = json.readTree(message.getPayload());
            accountId = UUID.fromString(data.path("accountId").asText());
        } catch (Exception e) {
            LOG.warnf("security.actions event %s (%s) has no valid accountId; ignored", ce.getId(), type);
            return Uni.createFrom().completionStage(message.ack());
        }
        String reason = "security_action:" + data.path("reason").asText(type);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> inbox.markProcessed(ce.getId(), type, now).chain(first -> {
            if (!first) {
                LOG.debugf("security action %s already applied", ce.getId());
                return Uni.createFrom().voidItem();
            }
            return switch (type) {
                case LOCK -> administration.lock(accountId, reason).replaceWithVoid();
                case REVOKE_SESSIONS -> administration.revokeSessions(accountId, reason).replaceWithVoid();
                case REQUIRE_STEP_UP -> administration.requireStepUp(accountId, reason).replaceWithVoid();
                default -> {
                    LOG.debugf("security action type %s is not for auth-service", type);
                    yield Uni.createFrom().voidItem();
                }
            };
        })).chain(() -> Uni.createFrom().completionStage(message.ack()));
    }
}
