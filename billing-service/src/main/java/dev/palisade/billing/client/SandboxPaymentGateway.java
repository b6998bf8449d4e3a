package dev.palisade.billing.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.billing.config.BillingConfig;
import dev.palisade.billing.domain.PaymentGateway;
import dev.palisade.billing.security.WebhookSecrets;
import dev.palisade.billing.security.WebhookSignature;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Uni;

/**
 * The built-in sandbox gateway, the local default. No money moves; the documented test card tokens decide the outcome,
 * and, like a real processor, the outcome of a charge arrives asynchronously as a signed webhook posted to Palisade's
 * own webhook endpoint (retried with back-off until it is acknowledged).
 *
 * <ul>
 * <li>{@value #TOKEN_SUCCESS}: charges succeed ({@code payment.succeeded} webhook).</li>
 * <li>{@value #TOKEN_DECLINE}: attaches, but every charge is declined ({@code payment.failed}, {@code card_declined}).</li>
 * <li>{@value #TOKEN_REQUIRES_ACTION}: charges wait for the customer (3-D Secure) until the next-action URL is
 * posted to, then succeed.</li>
 * </ul>
 * Any other token is refused when attached ({@code invalid_token}).
 */
@ApplicationScoped
public class SandboxPaymentGateway implements PaymentGateway {

    public static final String NAME = "sandbox";
    public static final String TOKEN_SUCCESS = "tok_sandbox_success";
    public static final String TOKEN_DECLINE = "tok_sandbox_decline";
    public static final String TOKEN_REQUIRES_ACTION = "tok_sandbox_requires_action";

    private static final Logger LOG = Logger.getLogger(SandboxPaymentGateway.class);
    private static final Map<String, CardDetails> CARDS = Map.of(
            TOKEN_SUCCESS, new CardDetails("visa", "4242"),
            TOKEN_DECLINE, new CardDetails("visa", "0002"),
            TOKEN_REQUIRES_ACTION, new CardDetails("visa", "3155"));

    private final BillingConfig config;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * Charges by Palisade payment id (the idempotency key): a repeated request answers the first result. Bounded
     * ({@code sandbox.max-remembered-charges}): the oldest are forgotten first.
     */
    private final Map<UUID, ChargeResult> charges;
    /** Charges waiting for customer action, by gateway payment id; bounded the same way. */
    private final Map<String, ChargeResult> awaitingAction;

    private final WebhookSecrets secrets;

    SandboxPaymentGateway(BillingConfig config, ObjectMapper json, WebhookSecrets secrets) {
        this.config = config;
        this.secrets = secrets;
        this.json = json;
        this.charges = bounded(config.sandbox().maxRememberedCharges());
        this.awaitingAction = bounded(config.sandbox().maxRememberedCharges());
    }

    /** A map that forgets its oldest entries beyond {@code max}; safe for concurrent use. */
    static <K, V> Map<K, V> bounded(int max) {
        int limit = Math.max(1, max);
        return Collections.synchronizedMap(new LinkedHashMap<K, V>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > limit;
            }
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<CardDetails> attach(String accountId, String token) {
        CardDetails card = CARDS.get(token);
        if (card == null) {
            return Uni.createFrom().failure(new Declined("invalid_token", "The sandbox does not know this card token."));
        }
        return Uni.createFrom().item(card);
    }

    @Override
    public Uni<ChargeResult> charge(ChargeRequest request) {
        ChargeResult existing = charges.get(request.paymentId());
        if (existing != null) {
            return Uni.createFrom().item(existing);
        }
        String gatewayId = "sbx_pay_" + UUID.randomUUID().toString().replace("-", "");
        ChargeResult result;
        switch (request.paymentMethodToken()) {
            case TOKEN_SUCCESS, TOKEN_DECLINE -> result = new ChargeResult(gatewayId, ChargeStatus.PROCESSING, null, null);
            case TOKEN_REQUIRES_ACTION -> result = new ChargeResult(gatewayId, ChargeStatus.REQUIRES_ACTION,
                    "/api/v1/sandbox/payments/" + gatewayId + "/confirm", null);
            default -> {
                return Uni.createFrom().item(new ChargeResult(gatewayId, ChargeStatus.FAILED, null, "invalid_token"));
            }
        }
        ChargeResult first = charges.putIfAbsent(request.paymentId(), result);
        if (first != null) {
            return Uni.createFrom().item(first);
        }
        if (result.status() == ChargeStatus.REQUIRES_ACTION) {
            awaitingAction.put(gatewayId, result);
        } else if (TOKEN_SUCCESS.equals(request.paymentMethodToken())) {
            deliver("payment.succeeded", gatewayId, null);
        } else {
            deliver("payment.failed", gatewayId, "card_declined");
        }
        return Uni.createFrom().item(result);
    }

    /** The customer completed the action (3-D Secure) of a charge: it succeeds. False when nothing waits. */
    public boolean completeAction(String gatewayPaymentId) {
        ChargeResult waiting = awaitingAction.remove(gatewayPaymentId);
        if (waiting == null) {
            return false;
        }
        deliver("payment.succeeded", gatewayPaymentId, null);
        return true;
    }

    /** The customer never completed the action: the charge is forgotten and can no longer be completed. */
    @Override
    public Uni<Boolean> abandon(String gatewayPaymentId, UUID paymentId) {
        awaitingAction.remove(gatewayPaymentId);
        return Uni.createFrom().item(true);
    }

    @Override
    public GatewayEvent parseEvent(String rawBody) {
        JsonNode event;
        try {
            event = json.readTree(rawBody);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The webhook body is not JSON", e);
        }
        String id = event.path("id").asText(null);
        String type = event.path("type").asText(null);
        String paymentId = event.path("data").path("paymentId").asText(null);
        if (id == null || type == null) {
            throw new IllegalArgumentException("The webhook event has no id or type");
        }
        Outcome outcome = switch (type) {
            case "payment.succeeded" -> Outcome.PAYMENT_SUCCEEDED;
            case "payment.failed" -> Outcome.PAYMENT_FAILED;
            default -> null;
        };
        if (outcome != null && paymentId == null) {
            throw new IllegalArgumentException("The webhook event names no payment");
        }
        String failure = event.path("data").path("failureCode").asText(null);
        return new GatewayEvent(id, type, outcome, paymentId, failure);
    }

    /** Builds, signs and posts a webhook event after the configured delay, retrying until it is acknowledged. */
    private void deliver(String type, String gatewayPaymentId, String failureCode) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("paymentId", gatewayPaymentId);
        data.put("failureCode", failureCode);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "sbx_evt_" + UUID.randomUUID().toString().replace("-", ""));
        event.put("type", type);
        event.put("created", clock.instant().getEpochSecond());
        event.put("data", data);
        String body;
        try {
            body = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        SandboxDelivery delivery = new SandboxDelivery(webhookUrl(), body);
        Uni.createFrom().voidItem()
                .onItem().delayIt().by(config.sandbox().webhookDelay())
                .chain(() -> post(delivery))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .atMost(Math.max(0, config.sandbox().deliveryAttempts() - 1))
                .subscribe().with(
                        status -> LOG.debugf("Sandbox webhook %s for %s delivered (%d)", type, gatewayPaymentId, status),
                        failure -> LOG.warnf("Sandbox webhook %s for %s not delivered: %s", type, gatewayPaymentId,
                                failure.getMessage()));
    }

    private record SandboxDelivery(String url, String body) {
    }

    private Uni<Integer> post(SandboxDelivery delivery) {
        // Each attempt is signed afresh, as real gateways do, so retries are never stale.
        String signature = WebhookSignature.sign(secrets.signing(NAME), clock.instant(), delivery.body());
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Palisade-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
                .build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException("webhook endpoint answered " + response.statusCode());
                    }
                    return response.statusCode();
                });
    }


    private String webhookUrl() {
        return config.sandbox().webhookUrl().orElseGet(() -> "http://127.0.0.1:" + ownPort() + "/api/v1/webhooks/" + NAME);
    }

    /** This service's actual HTTP port (Quarkus publishes the real one when it was chosen at random). */
    private static int ownPort() {
        String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        String fromSystem = System.getProperty(property);
        if (fromSystem != null) {
            return Integer.parseInt(fromSystem);
        }
        return ConfigProvider.getConfig().getOptionalValue(property, Integer.class).orElse(8080);
    }
}
