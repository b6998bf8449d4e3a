package dev.palisade.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.palisade.billing.BillingFlows.awaitStatus;
import static dev.palisade.billing.BillingFlows.createPlan;
import static dev.palisade.billing.BillingFlows.header;
import static dev.palisade.billing.BillingFlows.key;
import static dev.palisade.billing.BillingFlows.newAccount;
import static dev.palisade.billing.BillingFlows.subscribe;
import static dev.palisade.billing.BillingFlows.subscriber;
import static dev.palisade.billing.BillingFlows.subscription;
import static dev.palisade.billing.stripe.StripeFixtures.customer;
import static dev.palisade.billing.stripe.StripeFixtures.declinedIntentError;
import static dev.palisade.billing.stripe.StripeFixtures.event;
import static dev.palisade.billing.stripe.StripeFixtures.form;
import static dev.palisade.billing.stripe.StripeFixtures.id;
import static dev.palisade.billing.stripe.StripeFixtures.paymentIntent;
import static dev.palisade.billing.stripe.StripeFixtures.paymentMethod;
import static dev.palisade.billing.stripe.StripeFixtures.redirectToUrl;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.palisade.billing.domain.BillingCycle;
import dev.palisade.billing.domain.Payment;
import dev.palisade.billing.domain.PaymentMethod;
import dev.palisade.billing.repository.PaymentMethodRepository;
import dev.palisade.billing.repository.PaymentRepository;
import dev.palisade.billing.security.WebhookSignature;
import dev.palisade.billing.stripe.StripeFixtures;
import dev.palisade.billing.stripe.StripeTestProfile;
import dev.palisade.testsupport.ReactiveTransactions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * billing-service with {@code gateway=stripe} against Stripe's documented API, played by WireMock: what Palisade asks
 * Stripe (form parameters, Bearer key, Idempotency-Key, Stripe-Version) and what it makes of Stripe's answers and
 * signed webhooks, over HTTP, PostgreSQL and Kafka.
 */
@QuarkusTest
@TestProfile(StripeTestProfile.class)
class StripeGatewayTest {

    static final String PAYMENT_DECLINED = "https://palisade.dev/problems/payment-declined";
    static final String UNAVAILABLE = "https://palisade.dev/problems/payment-gateway-unavailable";

    @ConfigProperty(name = "palisade.billing.stripe.base-url")
    String stripeUrl;

    @Inject
    PaymentRepository payments;

    @Inject
    PaymentMethodRepository methods;

    @Inject
    BillingCycle billingCycle;

    @Inject
    CircuitBreakerMaintenance breakers;

    WireMock stripe;

    @BeforeEach
    void resetStripe() {
        URI url = URI.create(stripeUrl);
        stripe = new WireMock(url.getHost(), url.getPort());
        stripe.resetMappings();
        stripe.resetRequests();
        stripe.resetScenarios();
        breakers.resetAll();
    }

    /** A card the client tokenised at Stripe, not yet on a customer: Palisade saves it on a new one. */
    String card(String account, String brand, String last4) {
        String pm = id("pm");
        String cus = id("cus");
        stripe.register(get(urlPathEqualTo("/v1/payment_methods/" + pm)).withQueryParam("expand[]", equalTo("customer"))
                .willReturn(json(200, paymentMethod(pm, brand, last4, null))));
        stripe.register(post(urlEqualTo("/v1/customers")).withFormParam("metadata[account_id]", equalTo(account))
                .willReturn(json(200, customer(cus, account))));
        stripe.register(post(urlEqualTo("/v1/payment_methods/" + pm + "/attach")).withFormParam("customer", equalTo(cus))
                .willReturn(json(200, paymentMethod(pm, brand, last4, "\"" + cus + "\""))));
        return pm;
    }

    /** Stripe's answer to the PaymentIntent of {@code account}. */
    void intentAnswer(String account, int status, String body) {
        stripe.register(post(urlEqualTo("/v1/payment_intents")).withFormParam("metadata[account_id]", equalTo(account))
                .willReturn(json(status, body)));
    }

    static String intent(String pi, String status, String account, UUID paymentId, String nextAction, String lastError) {
        return paymentIntent(pi, status, 999, "eur", null, "pm_x", Map.of("palisade_payment_id",
                paymentId == null ? "unknown" : paymentId.toString(), "account_id", account), nextAction, lastError);
    }

    List<LoggedRequest> intentRequests(String account) {
        return stripe.find(postRequestedFor(urlEqualTo("/v1/payment_intents"))
                .withRequestBody(WireMock.containing(account)));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_" + UUID.randomUUID().toString().substring(0, 14)).withBody(body);
    }

    static Response stripeWebhook(String body) {
        return given().contentType(ContentType.JSON)
                .header("Stripe-Signature", WebhookSignature.sign(StripeTestProfile.WEBHOOK_SECRET, Instant.now(), body))
                .body(body).post("/api/v1/webhooks/stripe");
    }

    @Test
    void subscribingChargesAPaymentIntentAndItsSucceededWebhookActivates() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "visa", "4242");
        String pi = id("pi");
        intentAnswer(account, 200, intent(pi, "processing", account, null, null, null));

        try (BillingFlows.Events events = new BillingFlows.Events()) {
            Response created = subscribe(account, plan, pm, key());
            created.then().statusCode(201).body("status", is("INCOMPLETE"))
                    .body("payment.status", is("PROCESSING"));
            String subscriptionId = created.path("id");
            UUID paymentId = UUID.fromString(created.path("payment.id"));

            // What Stripe was asked: the documented form parameters, our key, the pinned version, the payment id as key.
            List<LoggedRequest> asked = intentRequests(account);
            assertThat(asked).hasSize(1);
            LoggedRequest request = asked.get(0);
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + StripeTestProfile.API_KEY);
            assertThat(request.getHeader("Stripe-Version")).isEqualTo(StripeTestProfile.API_VERSION);
            assertThat(request.getHeader("Idempotency-Key")).isEqualTo(paymentId.toString());
            assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
            Map<String, String> form = form(request.getBodyAsString());
            PaymentMethod saved = ReactiveTransactions.inSession(() -> methods.find("accountId", account).firstResult());
            assertThat(saved.gatewayCustomerId).startsWith("cus_");
            assertThat(form).containsEntry("amount", "999").containsEntry("currency", "eur")
                    .containsEntry("payment_method", pm).containsEntry("customer", saved.gatewayCustomerId)
                    .containsEntry("confirm", "true").containsEntry("metadata[palisade_payment_id]", paymentId.toString())
                    .containsEntry("metadata[account_id]", account)
                    .containsEntry("return_url", StripeTestProfile.RETURN_URL)
                    .doesNotContainKey("off_session");
            assertThat(form.get("description")).matches("Palisade invoice PAL-\\d{4}-\\d{6}");
            // The card was looked up and saved on a customer of this account, with the same key and version.
            stripe.verifyThat(1, getRequestedFor(urlPathEqualTo("/v1/payment_methods/" + pm))
                    .withHeader("Authorization", equalTo("Bearer " + StripeTestProfile.API_KEY))
                    .withHeader("Stripe-Version", equalTo(StripeTestProfile.API_VERSION)));
            stripe.verifyThat(1, postRequestedFor(urlEqualTo("/v1/payment_methods/" + pm + "/attach"))
                    .withHeader("Idempotency-Key", WireMock.matching("palisade-attach-[0-9a-f]{40}")));

            // Stripe settles it later and says so in a signed webhook.
            String succeeded = event("payment_intent.succeeded",
                    intent(pi, "succeeded", account, paymentId, null, null));
            stripeWebhook(succeeded).then().statusCode(200).body("result", is("processed"));
            awaitStatus(account, subscriptionId, "ACTIVE");
            events.awaitType(account, "subscription.activated");
            events.awaitType(account, "payment.succeeded");
            ConsumerRecord<String, String> activated = events.of(account).stream()
                    .filter(r -> "subscription.activated".equals(header(r, "ce_type"))).findFirst().orElseThrow();
            assertThat(activated.value()).contains("\"subscriptionId\":\"" + subscriptionId + "\"")
                    .contains("\"status\":\"ACTIVE\"");

            // Stripe delivers at least once: the same event again changes nothing.
            stripeWebhook(succeeded).then().statusCode(200).body("result", is("duplicate"));
        }
        given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions/" + subscriptionOf(account) + "/payment-method")
                .then().statusCode(200).body("gateway", is("stripe"))
                .body("brand", is("visa")).body("last4", is("4242"));
        given().auth().oauth2(subscriber(account)).get("/api/v1/invoices").then().statusCode(200)
                .body("[0].status", is("PAID"));
    }

    @Test
    void aPaymentIntentThatSucceedsAtOnceActivatesAtOnceAndItsWebhookChangesNothing() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "mastercard", "4444");
        String pi = id("pi");
        intentAnswer(account, 200, intent(pi, "succeeded", account, null, null, null));
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            Response created = subscribe(account, plan, pm, key());
            created.then().statusCode(201).body("status", is("ACTIVE"))
                    .body("payment.status", is("SUCCEEDED"));
            UUID paymentId = UUID.fromString(created.path("payment.id"));
            stripeWebhook(event("payment_intent.succeeded", intent(pi, "succeeded", account, paymentId, null, null)))
                    .then().statusCode(200).body("result", is("processed"));
            events.awaitType(account, "subscription.activated");
            // Give a second activation, if there were one, time to show up.
            org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofSeconds(3)).until(() -> true);
            assertThat(events.typesOf(account).stream().filter("subscription.activated"::equals)).hasSize(1);
        }
    }

    @Test
    void aDeclinedCardIsA402ProblemAndLeavesNoLiveSubscription() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "visa", "9995");
        String pi = id("pi");
        String lastError = StripeFixtures.cardError("insufficient_funds", "Your card has insufficient funds.", pm);
        intentAnswer(account, 402, declinedIntentError(intent(pi, "requires_payment_method", account, null, null, lastError),
                "insufficient_funds", "Your card has insufficient funds.", pm));
        String key = key();

        try (BillingFlows.Events events = new BillingFlows.Events()) {
            Response declined = subscribe(account, plan, pm, key);
            declined.then().statusCode(402).contentType(startsWith("application/problem+json"))
                    .body("type", is(PAYMENT_DECLINED))
                    .body("code", is("insufficient_funds"));
            String subscriptionId = declined.path("subscriptionId");
            subscription(account, subscriptionId).then().statusCode(200)
                    .body("status", is("CANCELED"));
            events.awaitType(account, "payment.failed");
            assertThat(events.typesOf(account)).doesNotContain("subscription.activated");

            // A retry with the same key gets the same answer and asks Stripe nothing more.
            subscribe(account, plan, pm, key).then().statusCode(402).header("Idempotent-Replayed", "true")
                    .contentType(startsWith("application/problem+json"));
            assertThat(intentRequests(account)).hasSize(1);

            // Stripe's own payment_intent.payment_failed event about it finds the payment already settled.
            UUID paymentId = UUID.fromString(declined.path("paymentId"));
            stripeWebhook(event("payment_intent.payment_failed",
                    intent(pi, "requires_payment_method", account, paymentId, null, lastError)))
                    .then().statusCode(200);
        }
        // Nothing live is left behind: another card can subscribe at once.
        String other = card(account, "visa", "4242");
        intentAnswer2(account, other);
        subscribe(account, plan, other, key()).then().statusCode(201)
                .body("status", is("ACTIVE"));
    }

    /** A second PaymentIntent answer for the same account, told apart by its payment method. */
    void intentAnswer2(String account, String pm) {
        stripe.register(post(urlEqualTo("/v1/payment_intents")).withFormParam("metadata[account_id]", equalTo(account))
                .withFormParam("payment_method", equalTo(pm)).atPriority(1)
                .willReturn(json(200, intent(id("pi"), "succeeded", account, null, null, null))));
    }

    @Test
    void anUnknownPaymentMethodIsDeclinedBeforeAnythingIsWritten() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        stripe.register(get(urlPathEqualTo("/v1/payment_methods/pm_missing")).willReturn(json(400,
                StripeFixtures.invalidRequestError("resource_missing", "No such PaymentMethod: 'pm_missing'", "id"))));

        subscribe(account, plan, "pm_missing", key()).then().statusCode(402)
                .contentType(startsWith("application/problem+json"))
                .body("type", is(PAYMENT_DECLINED))
                .body("code", is("invalid_token"));
        // Not a PaymentMethod id at all: refused without asking Stripe.
        subscribe(account, plan, "tok_visa", key()).then().statusCode(402).body("code", is("invalid_token"));
        assertNothingWritten(account);
        assertThat(intentRequests(account)).isEmpty();
    }

    @Test
    void aChargeThatNeedsThreeDSecureHandsOutStripesRedirectAndActivatesOnItsWebhook() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "visa", "3155");
        String pi = id("pi");
        String redirect = "https://hooks.stripe.com/redirect/authenticate/src_1PXj1mLkdIwHu7ix?client_secret=src_client_secret_x";
        intentAnswer(account, 200, intent(pi, "requires_action", account, null, redirectToUrl(redirect), null));

        Response created = subscribe(account, plan, pm, key());
        created.then().statusCode(201).body("status", is("INCOMPLETE"))
                .body("payment.status", is("REQUIRES_ACTION"))
                .body("payment.nextActionUrl", is(redirect));
        String id = created.path("id");
        UUID paymentId = UUID.fromString(created.path("payment.id"));
        subscription(account, id).then().body("paymentInProgress", is(true));

        // The customer authenticates at the bank; Stripe then reports the success.
        stripeWebhook(event("payment_intent.succeeded", intent(pi, "succeeded", account, paymentId, null, null)))
                .then().statusCode(200).body("result", is("processed"));
        awaitStatus(account, id, "ACTIVE");
    }

    @Test
    void aThreeDSecureStepNeverCompletedIsCanceledAtStripeAndFailsAfterTheExpiry() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "visa", "3155");
        String abandoned = id("pi");
        intentAnswer(account, 200, intent(abandoned, "requires_action", account, null,
                redirectToUrl("https://hooks.stripe.com/redirect/authenticate/src_1"), null));
        Response created = subscribe(account, plan, pm, key());
        created.then().statusCode(201).body("payment.status", is("REQUIRES_ACTION"));
        String id = created.path("id");
        UUID paymentId = UUID.fromString(created.path("payment.id"));
        stripe.register(post(urlEqualTo("/v1/payment_intents/" + abandoned + "/cancel"))
                .willReturn(json(200, intent(abandoned, "canceled", account, paymentId, null, null))));

        // Not yet expired (23 h by default): nothing happens.
        ReactiveTransactions.await(() -> billingCycle.expireAbandonedActions(OffsetDateTime.now().plusHours(22)));
        subscription(account, id).then().body("status", is("INCOMPLETE"));
        stripe.verifyThat(0, postRequestedFor(urlEqualTo("/v1/payment_intents/" + abandoned + "/cancel")));

        ReactiveTransactions.await(() -> billingCycle.expireAbandonedActions(OffsetDateTime.now().plusHours(24)));
        subscription(account, id).then().body("status", is("CANCELED"));
        assertThat(ReactiveTransactions.inSession(() -> payments.findById(paymentId)).failureCode).isEqualTo("action_expired");
        LoggedRequest cancel = stripe.find(postRequestedFor(urlEqualTo("/v1/payment_intents/" + abandoned + "/cancel"))).get(0);
        assertThat(form(cancel.getBodyAsString())).containsEntry("cancellation_reason", "abandoned");
        assertThat(cancel.getHeader("Idempotency-Key")).isEqualTo("palisade-cancel-" + paymentId);
    }

    @Test
    void anExpiredThreeDSecureStepThatStripeCompletedMeanwhileIsLeftToItsWebhook() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "visa", "3155");
        String pi = id("pi");
        intentAnswer(account, 200, intent(pi, "requires_action", account, null,
                redirectToUrl("https://hooks.stripe.com/redirect/authenticate/src_2"), null));
        Response created = subscribe(account, plan, pm, key());
        String id = created.path("id");
        UUID paymentId = UUID.fromString(created.path("payment.id"));
        stripe.register(post(urlEqualTo("/v1/payment_intents/" + pi + "/cancel")).willReturn(json(400,
                StripeFixtures.invalidRequestError("payment_intent_unexpected_state",
                        "You cannot cancel this PaymentIntent because it has a status of succeeded.", "intent"))));

        ReactiveTransactions.await(() -> billingCycle.expireAbandonedActions(OffsetDateTime.now().plusHours(24)));
        subscription(account, id).then().body("status", is("INCOMPLETE"));
        stripeWebhook(event("payment_intent.succeeded", intent(pi, "succeeded", account, paymentId, null, null)))
                .then().statusCode(200);
        awaitStatus(account, id, "ACTIVE");
    }

    @Test
    void aFailedAsynchronousPaymentCancelsTheNewSubscriptionWithStripesDeclineCode() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "visa", "0341");
        String pi = id("pi");
        intentAnswer(account, 200, intent(pi, "processing", account, null, null, null));
        Response created = subscribe(account, plan, pm, key());
        created.then().statusCode(201);
        UUID paymentId = UUID.fromString(created.path("payment.id"));

        String lastError = StripeFixtures.cardError("expired_card", "Your card has expired.", pm);
        stripeWebhook(event("payment_intent.payment_failed",
                intent(pi, "requires_payment_method", account, paymentId, null, lastError)))
                .then().statusCode(200).body("result", is("processed"));
        awaitStatus(account, created.path("id"), "CANCELED");
        Payment payment = ReactiveTransactions.inSession(() -> payments.findById(paymentId));
        assertThat(payment.failureCode).isEqualTo("expired_card");
    }

    @Test
    void aConnectionResetIsRetriedWithTheSameIdempotencyKeySoTheCustomerIsChargedOnce() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "visa", "4242");
        String pi = id("pi");
        stripe.register(post(urlEqualTo("/v1/payment_intents")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("reset once"));
        stripe.register(post(urlEqualTo("/v1/payment_intents")).inScenario("flaky").whenScenarioStateIs("reset once")
                .willReturn(json(200, intent(pi, "succeeded", account, null, null, null))));
        String key = key();

        Response created = subscribe(account, plan, pm, key);
        created.then().statusCode(201).body("status", is("ACTIVE"));
        String paymentId = created.path("payment.id");
        List<LoggedRequest> asked = intentRequests(account);
        assertThat(asked).hasSize(2);
        assertThat(asked).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(paymentId);
        assertThat(asked).extracting(LoggedRequest::getBodyAsString).containsOnly(asked.get(0).getBodyAsString());

        // The subscriber's own retry of the request is answered from the record, without another charge.
        subscribe(account, plan, pm, key).then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(intentRequests(account)).hasSize(2);
        assertThat(ReactiveTransactions.inSession(() -> payments.count("accountId", account))).isEqualTo(1);
    }

    @Test
    void stripeAnswering500IsA503AndNothingIsHalfWritten() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = card(account, "visa", "4242");
        intentAnswer(account, 500, StripeFixtures.apiError());
        String key = key();

        subscribe(account, plan, pm, key).then().statusCode(503).contentType(startsWith("application/problem+json"))
                .header("Retry-After", "30")
                .body("type", is(UNAVAILABLE));
        assertNothingWritten(account);
        // Stripe keeps a POST's 500 for its idempotency key: asking again with it would only repeat the 500.
        assertThat(intentRequests(account)).hasSize(1);

        // Stripe is back: the very same request (same Idempotency-Key) now goes through.
        stripe.register(post(urlEqualTo("/v1/payment_intents")).withFormParam("metadata[account_id]", equalTo(account))
                .atPriority(1).willReturn(json(200, intent(id("pi"), "succeeded", account, null, null, null))));
        subscribe(account, plan, pm, key).then().statusCode(201).body("status", is("ACTIVE"));
    }

    @Test
    void stripeUnreachableIsA503AfterBoundedRetriesAndNothingIsHalfWritten() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = id("pm");
        stripe.register(get(urlPathEqualTo("/v1/payment_methods/" + pm))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        subscribe(account, plan, pm, key()).then().statusCode(503).contentType(startsWith("application/problem+json"))
                .body("type", is(UNAVAILABLE));
        // One attempt and the two configured retries, no more.
        stripe.verifyThat(3, getRequestedFor(urlPathEqualTo("/v1/payment_methods/" + pm)));
        assertNothingWritten(account);

        // A Stripe that does not answer in time is no different.
        String slow = id("pm");
        stripe.register(get(urlPathEqualTo("/v1/payment_methods/" + slow))
                .willReturn(json(200, paymentMethod(slow, "visa", "4242", null)).withFixedDelay(3_000)));
        subscribe(account, plan, slow, key()).then().statusCode(503).body("type", is(UNAVAILABLE));
        assertNothingWritten(account);
    }

    @Test
    void aRefusedApiKeyIsA502WithoutDetailsAndNothingIsWritten() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String pm = id("pm");
        stripe.register(get(urlPathEqualTo("/v1/payment_methods/" + pm)).willReturn(json(401, StripeFixtures.invalidApiKey())));

        Response refused = subscribe(account, plan, pm, key());
        refused.then().statusCode(502).contentType(startsWith("application/problem+json"))
                .body("type", is("https://palisade.dev/problems/payment-gateway-error"));
        assertThat(refused.asString()).doesNotContain("sk_test").doesNotContain("Invalid API Key");
        assertNothingWritten(account);
    }

    @Test
    void aRenewalIsChargedOffSessionAndStripeBeingDownMakesItPastDueWithoutUndoingTheRun() {
        String plan = createPlan(800, 0, "DAY");
        String account = newAccount();
        String pm = card(account, "visa", "4242");
        intentAnswer(account, 200, intent(id("pi"), "succeeded", account, null, null, null));
        String id = subscribe(account, plan, pm, key()).then().statusCode(201)
                .body("status", is("ACTIVE")).extract().path("id");
        OffsetDateTime periodEnd = OffsetDateTime.parse(subscription(account, id).path("currentPeriodEnd"));

        stripe.resetRequests();
        intentAnswer(account, 500, StripeFixtures.apiError());
        ReactiveTransactions.await(() -> billingCycle.runDue(periodEnd.plusSeconds(1)));

        subscription(account, id).then().body("status", is("PAST_DUE"));
        List<Payment> charges = ReactiveTransactions.inSession(() -> payments.listForSubscription(UUID.fromString(id)));
        assertThat(charges).hasSize(2);
        assertThat(charges.get(1).failureCode).isEqualTo("gateway_unavailable");
        LoggedRequest renewal = intentRequests(account).get(0);
        assertThat(form(renewal.getBodyAsString())).containsEntry("off_session", "true").containsEntry("amount", "800")
                .containsEntry("customer", ReactiveTransactions.inSession(
                        () -> methods.find("accountId", account).firstResult()).gatewayCustomerId)
                .doesNotContainKey("return_url");
        assertThat(renewal.getHeader("Idempotency-Key")).isEqualTo(charges.get(1).id.toString());
    }

    @Test
    void otherStripeEventsAreAcknowledgedOnceAndUnsignedOnesRefused() {
        String body = event("customer.created", customer(id("cus"), newAccount()));
        stripeWebhook(body).then().statusCode(200).body("result", is("ignored"));
        stripeWebhook(body).then().statusCode(200).body("result", is("duplicate"));
        given().contentType(ContentType.JSON).body(body).post("/api/v1/webhooks/stripe").then().statusCode(400)
                .body("type", is("https://palisade.dev/problems/invalid-webhook-signature"));
        // Signed with the sandbox's secret: not Stripe's, refused.
        given().contentType(ContentType.JSON).header("Stripe-Signature",
                WebhookSignature.sign(BillingFlows.SECRET, Instant.now(), body)).body(body)
                .post("/api/v1/webhooks/stripe").then().statusCode(400);
        // A payment intent Palisade did not create (no palisade_payment_id) is not ours to settle.
        String foreign = event("payment_intent.succeeded", paymentIntent(id("pi"), "succeeded", 500, "usd", null, "pm_x",
                Map.of("order", "42"), null, null));
        stripeWebhook(foreign).then().statusCode(200).body("result", is("ignored"));
    }

    private void assertNothingWritten(String account) {
        given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions").then().statusCode(200).body("", hasSize(0));
        given().auth().oauth2(subscriber(account)).get("/api/v1/invoices").then().statusCode(200).body("", hasSize(0));
        assertThat(ReactiveTransactions.inSession(() -> payments.count("accountId", account))).isZero();
        assertThat(ReactiveTransactions.inSession(() -> methods.count("accountId", account))).isZero();
    }

    private static String subscriptionOf(String account) {
        return given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions").then().statusCode(200)
                .extract().path("[0].id");
    }
}
