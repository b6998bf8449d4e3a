package dev.palisade.billing.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.billing.client.StripeClient.StripeRequest;
import dev.palisade.billing.client.StripeClient.StripeResponse;
import dev.palisade.billing.config.BillingConfig;
import dev.palisade.billing.domain.PaymentGateway;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Stripe as the payment gateway, on Stripe's documented REST API (https://docs.stripe.com/api):
 * <ul>
 * <li>attach: the client tokenises the card with Stripe.js / the mobile SDKs and sends us the PaymentMethod id
 * ({@code pm_…}); we retrieve it ({@code GET /v1/payment_methods/{id}}) for brand and last four digits, and save it for
 * later charges on a Customer of the account ({@code POST /v1/customers}, {@code POST /v1/payment_methods/{id}/attach})
 * unless it already is on one, which must then be this account's.</li>
 * <li>charge: a PaymentIntent created and confirmed at once ({@code POST /v1/payment_intents}, {@code confirm=true},
 * {@code off_session=true} for renewals) with the Palisade payment id as {@code Idempotency-Key} and in its metadata.</li>
 * <li>events: {@code payment_intent.succeeded}, {@code payment_intent.payment_failed} and {@code payment_intent.canceled}
 * of PaymentIntents Palisade created; anything else is acknowledged and ignored.</li>
 * </ul>
 * Stripe's refusals (402 {@code card_error}, 400 {@code invalid_request_error}) are declines; no answer, 5xx, 429 or a
 * refused API key make the gateway {@link PaymentGateway.Unavailable}.
 */
@ApplicationScoped
public class StripePaymentGateway implements PaymentGateway {

    public static final String NAME = "stripe";
    /** Metadata key of a PaymentIntent naming the Palisade payment it charges. */
    public static final String PAYMENT_ID_METADATA = "palisade_payment_id";
    /** Metadata key of a Customer naming the Palisade account it belongs to. */
    public static final String ACCOUNT_ID_METADATA = "account_id";

    private static final Logger LOG = Logger.getLogger(StripePaymentGateway.class);
    private static final Pattern PAYMENT_METHOD_ID = Pattern.compile("pm_[A-Za-z0-9_]{1,250}");

    private final StripeClient stripe;
    private final BillingConfig config;
    private final ObjectMapper json;

    StripePaymentGateway(StripeClient stripe, BillingConfig config, ObjectMapper json) {
        this.stripe = stripe;
        this.config = config;
        this.json = json;
    }

    /** With {@code gateway=stripe} the service does not start without a usable secret key. */
    void checkSettings(@Observes StartupEvent event) {
        checkSettings(config);
    }

    /**
     * @throws IllegalStateException naming what is missing or wrong when {@code gateway=stripe} cannot work
     */
    public static void checkSettings(BillingConfig config) {
        if (!NAME.equals(config.gateway())) {
            return;
        }
        String key = config.stripe().apiKey().map(String::strip).orElse("");
        if (key.isEmpty()) {
            throw new IllegalStateException("palisade.billing.gateway=stripe needs Stripe's secret API key: set "
                    + "PALISADE_STRIPE_API_KEY (palisade.billing.stripe.api-key) to an sk_… or rk_… key");
        }
        if (key.startsWith("pk_")) {
            throw new IllegalStateException("palisade.billing.stripe.api-key is a publishable key (pk_…); the server "
                    + "needs a secret (sk_…) or restricted (rk_…) key");
        }
        URI base = URI.create(config.stripe().baseUrl());
        boolean local = "localhost".equals(base.getHost()) || "127.0.0.1".equals(base.getHost());
        if (!"https".equals(base.getScheme()) && !local) {
            throw new IllegalStateException("palisade.billing.stripe.base-url must be https (got " + base.getScheme() + ")");
        }
        List<String> secrets = config.webhooks().secrets().get(NAME);
        if (secrets == null || secrets.isEmpty()) {
            LOG.warn("palisade.billing.webhooks.secrets.stripe is not set: Stripe's webhooks will be refused, so charges "
                    + "that do not settle at once (processing, 3-D Secure) will never complete");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<CardDetails> attach(String accountId, String token) {
        if (token == null || !PAYMENT_METHOD_ID.matcher(token).matches()) {
            return Uni.createFrom().failure(new Declined("invalid_token",
                    "Stripe payment methods are PaymentMethod ids (pm_…)."));
        }
        return call(StripeRequest.get("/v1/payment_methods/" + token + "?expand%5B%5D=customer",
                "GET /v1/payment_methods/{id}")).chain(response -> {
                    if (!response.ok()) {
                        throw refusal(response, "GET /v1/payment_methods/{id}");
                    }
                    JsonNode method = response.body();
                    JsonNode card = method.path("card");
                    if (!"card".equals(method.path("type").asText()) || !card.isObject()) {
                        throw new Declined("unsupported_payment_method", "Only cards are accepted.");
                    }
                    String brand = card.path("brand").asText(null);
                    String last4 = card.path("last4").asText(null);
                    JsonNode customer = method.path("customer");
                    if (customer.isObject()) {
                        if (!accountId.equals(customer.path("metadata").path(ACCOUNT_ID_METADATA).asText(null))) {
                            // Someone else's saved card: never charge it for this account.
                            throw new Declined("payment_method_not_owned", "This payment method belongs to another customer.");
                        }
                        return Uni.createFrom().item(new CardDetails(brand, last4, customer.path("id").asText()));
                    }
                    return saveOnNewCustomer(accountId, token).map(customerId -> new CardDetails(brand, last4, customerId));
                });
    }

    /** A PaymentMethod can be charged again later only once it is attached to a Customer. */
    private Uni<String> saveOnNewCustomer(String accountId, String token) {
        String key = digest(accountId + "\n" + token);
        Map<String, String> customer = new LinkedHashMap<>();
        customer.put("metadata[" + ACCOUNT_ID_METADATA + "]", accountId);
        customer.put("description", "Palisade account " + accountId);
        return call(StripeRequest.post("/v1/customers", "POST /v1/customers", customer, "palisade-customer-" + key))
                .chain(created -> {
                    if (!created.ok()) {
                        throw refusal(created, "POST /v1/customers");
                    }
                    String customerId = created.body().path("id").asText(null);
                    if (customerId == null) {
                        throw new Unavailable("Stripe created a customer without id", false, null);
                    }
                    return call(StripeRequest.post("/v1/payment_methods/" + token + "/attach",
                            "POST /v1/payment_methods/{id}/attach", Map.of("customer", customerId), "palisade-attach-" + key))
                            .map(attached -> {
                                if (!attached.ok()) {
                                    throw refusal(attached, "POST /v1/payment_methods/{id}/attach");
                                }
                                return customerId;
                            });
                });
    }

    @Override
    public Uni<ChargeResult> charge(ChargeRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("amount", Long.toString(request.amountMinor()));
        form.put("currency", request.currency().toLowerCase(Locale.ROOT));
        form.put("payment_method", request.paymentMethodToken());
        form.put("customer", request.gatewayCustomerId());
        form.put("payment_method_types[0]", "card");
        form.put("confirm", "true");
        if (request.customerPresent()) {
            config.stripe().returnUrl().ifPresent(url -> form.put("return_url", url));
        } else {
            form.put("off_session", "true");
        }
        form.put("description", request.description());
        form.put("metadata[" + PAYMENT_ID_METADATA + "]", request.paymentId().toString());
        form.put("metadata[" + ACCOUNT_ID_METADATA + "]", request.accountId());
        return call(StripeRequest.post("/v1/payment_intents", "POST /v1/payment_intents", form,
                request.paymentId().toString())).map(response -> {
                    if (response.ok()) {
                        return result(response.body());
                    }
                    JsonNode error = response.error();
                    String type = error.path("type").asText("");
                    if (response.status() == 402 || "card_error".equals(type)) {
                        // The card was refused; the error carries the PaymentIntent (now requires_payment_method).
                        JsonNode intent = error.path("payment_intent");
                        return new ChargeResult(intent.path("id").asText(null), ChargeStatus.FAILED, null,
                                failureCode(error));
                    }
                    if (response.status() == 400 && "invalid_request_error".equals(type)) {
                        // E.g. the PaymentMethod was detached or the customer deleted: this charge cannot be made.
                        return new ChargeResult(error.path("payment_intent").path("id").asText(null), ChargeStatus.FAILED,
                                null, failureCode(error));
                    }
                    throw unavailable(response, "POST /v1/payment_intents");
                });
    }

    /** Cancels a PaymentIntent still waiting for the customer ({@code POST /v1/payment_intents/{id}/cancel}). */
    @Override
    public Uni<Boolean> abandon(String gatewayPaymentId, UUID paymentId) {
        if (gatewayPaymentId == null) {
            return Uni.createFrom().item(true);
        }
        return call(StripeRequest.post("/v1/payment_intents/" + gatewayPaymentId + "/cancel",
                "POST /v1/payment_intents/{id}/cancel", Map.of("cancellation_reason", "abandoned"),
                "palisade-cancel-" + paymentId)).map(response -> {
                    if (response.ok()) {
                        return true;
                    }
                    if (response.status() == 400 && "invalid_request_error".equals(response.error().path("type").asText())) {
                        // payment_intent_unexpected_state: it succeeded or is processing after all; its webhook decides.
                        LOG.infof("Stripe payment intent %s could not be canceled (%s); leaving it to its webhook",
                                gatewayPaymentId, response.error().path("code").asText());
                        return false;
                    }
                    throw unavailable(response, "POST /v1/payment_intents/{id}/cancel");
                });
    }

    private ChargeResult result(JsonNode intent) {
        String id = intent.path("id").asText(null);
        if (id == null || !"payment_intent".equals(intent.path("object").asText())) {
            throw new Unavailable("Stripe answered a payment intent without id", false, null);
        }
        String status = intent.path("status").asText("");
        return switch (status) {
            case "succeeded" -> new ChargeResult(id, ChargeStatus.SUCCEEDED, null, null);
            case "processing" -> new ChargeResult(id, ChargeStatus.PROCESSING, null, null);
            case "requires_action" -> new ChargeResult(id, ChargeStatus.REQUIRES_ACTION,
                    intent.path("next_action").path("redirect_to_url").path("url").asText(null), null);
            case "requires_payment_method" -> new ChargeResult(id, ChargeStatus.FAILED, null,
                    failureCode(intent.path("last_payment_error")));
            case "canceled" -> new ChargeResult(id, ChargeStatus.FAILED, null, "canceled");
            default -> {
                // requires_confirmation / requires_capture should not happen with confirm=true and automatic capture:
                // leave it to the webhook that settles it.
                LOG.warnf("Stripe payment intent %s is %s; waiting for its webhook", id, status);
                yield new ChargeResult(id, ChargeStatus.PROCESSING, null, null);
            }
        };
    }

    @Override
    public GatewayEvent parseEvent(String rawBody) {
        JsonNode event;
        try {
            event = json.readTree(rawBody == null ? "" : rawBody);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The webhook body is not JSON", e);
        }
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException("The webhook body is not a Stripe event");
        }
        String id = event.path("id").asText(null);
        String type = event.path("type").asText(null);
        if (id == null || type == null || !"event".equals(event.path("object").asText())) {
            throw new IllegalArgumentException("The webhook body is not a Stripe event (id, type, object=event)");
        }
        JsonNode object = event.path("data").path("object");
        Outcome outcome = switch (type) {
            case "payment_intent.succeeded" -> Outcome.PAYMENT_SUCCEEDED;
            case "payment_intent.payment_failed", "payment_intent.canceled" -> Outcome.PAYMENT_FAILED;
            default -> null;
        };
        if (outcome == null) {
            return new GatewayEvent(id, type, null, null, null);
        }
        String intentId = object.path("id").asText(null);
        if (intentId == null || !"payment_intent".equals(object.path("object").asText())) {
            throw new IllegalArgumentException("The event's data.object is not a payment intent");
        }
        if (object.path("metadata").path(PAYMENT_ID_METADATA).isMissingNode()) {
            // A payment intent of something else on the same Stripe account: not ours to settle.
            return new GatewayEvent(id, type, null, intentId, null);
        }
        String failure = null;
        if (outcome == Outcome.PAYMENT_FAILED) {
            failure = "payment_intent.canceled".equals(type) ? "canceled" : failureCode(object.path("last_payment_error"));
        }
        return new GatewayEvent(id, type, outcome, intentId, failure);
    }

    /** The most telling code of a Stripe error: the issuer's decline code, else Stripe's error code. */
    static String failureCode(JsonNode error) {
        String decline = error.path("decline_code").asText("");
        if (!decline.isBlank()) {
            return decline;
        }
        String code = error.path("code").asText("");
        if (!code.isBlank()) {
            return code;
        }
        return "card_declined";
    }

    /** A refusal while attaching: the card or token is refused (declined), or Stripe cannot be used (unavailable). */
    private static RuntimeException refusal(StripeResponse response, String operation) {
        JsonNode error = response.error();
        String type = error.path("type").asText("");
        if (response.status() == 402 || "card_error".equals(type)) {
            return new Declined(failureCode(error), error.path("message").asText("The card was declined."));
        }
        if (response.status() == 400 && "invalid_request_error".equals(type)) {
            String code = error.path("code").asText("");
            // An unknown PaymentMethod is what the sandbox calls an invalid token.
            return new Declined("resource_missing".equals(code) ? "invalid_token" : code.isBlank() ? "invalid_request" : code,
                    error.path("message").asText("Stripe refused the payment method."));
        }
        return unavailable(response, operation);
    }

    private static Unavailable unavailable(StripeResponse response, String operation) {
        int status = response.status();
        String what = "Stripe " + operation + " answered HTTP " + status + " " + response.error().path("type").asText("")
                + " (request " + response.requestId() + ")";
        if (status == 401 || status == 403) {
            LOG.errorf("%s: Stripe refused the API key; check palisade.billing.stripe.api-key", what);
            return new Unavailable(what, false, null);
        }
        // 409 / 429 left after the retries are worth another try later; anything else is not a usable answer.
        return new Unavailable(what, status == 409 || status == 429, null);
    }

    /** The client's failures as the port's: no answer, 5xx or an open breaker are a temporary unavailability. */
    private Uni<StripeResponse> call(StripeRequest request) {
        return stripe.send(request)
                .onFailure(StripeClient.Unreachable.class).transform(e -> new Unavailable(e.getMessage(), true, e))
                .onFailure(CircuitBreakerOpenException.class).transform(
                        e -> new Unavailable("Stripe is considered down (circuit breaker open)", true, e))
                .onFailure(IllegalStateException.class).transform(e -> new Unavailable(e.getMessage(), false, e));
    }

    private static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
