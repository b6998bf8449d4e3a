package dev.palisade.entitlement.messaging;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.entitlement.domain.EntitlementService;
import dev.palisade.entitlement.domain.OverflowPolicy;
import dev.palisade.entitlement.repository.ProcessedEventRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Turns subscriptions into entitlements. {@code subscription.activated}, {@code .renewed} and {@code .plan-changed}
 * grant the plan's packages and stream limit; {@code subscription.canceled} revokes and ends running sessions;
 * {@code subscription.past-due} changes nothing (billing's grace period runs; cancellation follows if it fails).
 * Each CloudEvents id is applied once, and an event older than the stored state ({@code occurredAt}) is ignored.
 */
@ApplicationScoped
public class BillingEventsConsumer {

    private static final Logger LOG = Logger.getLogger(BillingEventsConsumer.class);

    private final EntitlementService entitlements;
    private final ProcessedEventRepository inbox;
    private final ObjectMapper json;

    BillingEventsConsumer(EntitlementService entitlements, ProcessedEventRepository inbox, ObjectMapper json) {
        this.entitlements = entitlements;
        this.inbox = inbox;
        this.json = json;
    }

    @Incoming("billing-events")
    @Retry(maxRetries = 5, delay = 500)
    public Uni<Void> consume(Message<String> message) {
        IncomingCloudEventMetadata<?> ce = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (ce == null || !ce.getType().startsWith("subscription.")) {
            return Uni.createFrom().completionStage(message.ack());
        }
        JsonNode data;
        UUID accountId;
        OffsetDateTime occurredAt;
        try {
            data = json.readTree(message.getPayload());
            accountId = UUID.fromString(data.path("accountId").asText());
            occurredAt = OffsetDateTime.parse(data.path("occurredAt").asText());
        } catch (Exception e) {
            LOG.warnf("billing.events %s (%s) is not a readable subscription event; ignored: %s", ce.getId(), ce.getType(), e.getMessage());
            return Uni.createFrom().completionStage(message.ack());
        }
        String type = ce.getType();
        return Panache.withTransaction(() -> inbox.markProcessed(ce.getId(), type, OffsetDateTime.now(ZoneOffset.UTC)).chain(first -> {
            if (!first) {
                return Uni.createFrom().voidItem();
            }
            return switch (type) {
                case "subscription.activated", "subscription.renewed", "subscription.plan-changed" ->
                    entitlements.grant(accountId, grant(data), "billing", occurredAt).replaceWithVoid();
                case "subscription.canceled" ->
                    entitlements.revoke(accountId, "subscription_canceled", "billing", occurredAt).replaceWithVoid();
                default -> Uni.createFrom().voidItem();
            };
        })).chain(() -> Uni.createFrom().completionStage(message.ack()));
    }

    private static EntitlementService.Grant grant(JsonNode data) {
        List<String> packages = new ArrayList<>();
        data.path("channelPackages").forEach(p -> packages.add(p.asText()));
        OverflowPolicy policy = "END_OLDEST".equals(data.path("streamLimitPolicy").asText()) ? OverflowPolicy.EVICT_OLDEST
                : OverflowPolicy.REFUSE;
        return new EntitlementService.Grant(data.path("planCode").asText(null), packages, data.path("maxStreams").asInt(0), policy);
    }
}
