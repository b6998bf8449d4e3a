package dev.palisade.billing;

import static dev.palisade.billing.BillingFlows.DECLINE;
import static dev.palisade.billing.BillingFlows.REQUIRES_ACTION;
import static dev.palisade.billing.BillingFlows.SUCCESS;
import static dev.palisade.billing.BillingFlows.activeSubscription;
import static dev.palisade.billing.BillingFlows.awaitStatus;
import static dev.palisade.billing.BillingFlows.createPlan;
import static dev.palisade.billing.BillingFlows.header;
import static dev.palisade.billing.BillingFlows.key;
import static dev.palisade.billing.BillingFlows.newAccount;
import static dev.palisade.billing.BillingFlows.subscribe;
import static dev.palisade.billing.BillingFlows.subscriber;
import static dev.palisade.billing.BillingFlows.subscriberAal2;
import static dev.palisade.billing.BillingFlows.subscription;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.palisade.billing.domain.BillingCycle;
import dev.palisade.billing.repository.PaymentRepository;
import dev.palisade.testsupport.ReactiveTransactions;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Subscribe, pay through the sandbox gateway, renew, fail, retry and cancel: over HTTP, PostgreSQL and Kafka. */
@QuarkusTest
class SubscriptionJourneyTest {

    @Inject
    BillingCycle billingCycle;

    @Inject
    PaymentRepository payments;

    @Test
    void subscribingWithTheSandboxActivatesThroughItsWebhookAndPublishesTheEvents() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            Response created = subscribe(account, plan, SUCCESS, key());
            created.then().statusCode(201)
                    .body("status", equalTo("INCOMPLETE"))
                    .body("payment.status", equalTo("PROCESSING"))
                    .body("payment.amountMinor", equalTo(999))
                    .body("payment.currency", equalTo("EUR"));
            String id = created.path("id");

            awaitStatus(account, id, "ACTIVE");
            events.awaitType(account, "subscription.activated");
            events.awaitType(account, "payment.succeeded");

            ConsumerRecord<String, String> activated = events.of(account).stream()
                    .filter(r -> "subscription.activated".equals(header(r, "ce_type"))).findFirst().orElseThrow();
            assertThat(activated.key()).isEqualTo(account);
            assertThat(header(activated, "ce_source")).isEqualTo("/palisade/billing-service");
            assertThat(activated.value()).contains("\"subscriptionId\":\"" + id + "\"").contains("\"status\":\"ACTIVE\"")
                    .contains("\"channelPackages\":[\"basic\",\"sports\"]").contains("\"maxStreams\":2");
        }

        given().auth().oauth2(subscriber(account)).get("/api/v1/invoices").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].status", equalTo("PAID"))
                .body("[0].totalMinor", equalTo(999))
                .body("[0].number", matchesPattern("PAL-\\d{4}-\\d{6}"));
        given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions/" + subscriptionOf(account) + "/payment-method")
                .then().statusCode(200).body("brand", equalTo("visa")).body("last4", equalTo("4242"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("gatewayToken")));
    }

    @Test
    void aDeclinedFirstPaymentCancelsTheSubscription() {
        String plan = createPlan(500, 0, "MONTH");
        String account = newAccount();
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            String id = subscribe(account, plan, DECLINE, key()).then().statusCode(201).extract().path("id");
            awaitStatus(account, id, "CANCELED");
            events.awaitType(account, "payment.failed");
            events.awaitType(account, "subscription.canceled");
            assertThat(events.typesOf(account)).doesNotContain("subscription.activated");
        }
    }

    @Test
    void aChargeThatNeedsCustomerActionWaitsUntilTheActionIsDone() {
        String plan = createPlan(700, 0, "MONTH");
        String account = newAccount();
        Response created = subscribe(account, plan, REQUIRES_ACTION, key());
        created.then().statusCode(201).body("payment.status", equalTo("REQUIRES_ACTION"))
                .body("payment.nextActionUrl", startsWith("/api/v1/sandbox/payments/"));
        String id = created.path("id");
        String action = created.path("payment.nextActionUrl");

        given().post(action).then().statusCode(202);
        awaitStatus(account, id, "ACTIVE");
        given().post(action).then().statusCode(404);
    }

    @Test
    void aCustomerActionNeverCompletedExpiresAndTheSubscriptionIsCanceled() {
        String plan = createPlan(700, 0, "MONTH");
        String account = newAccount();
        Response created = subscribe(account, plan, REQUIRES_ACTION, key());
        created.then().statusCode(201).body("payment.status", equalTo("REQUIRES_ACTION"));
        String id = created.path("id");
        String action = created.path("payment.nextActionUrl");
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            ReactiveTransactions.await(() -> billingCycle.expireAbandonedActions(OffsetDateTime.now().plusHours(24)));
            subscription(account, id).then().body("status", equalTo("CANCELED"));
            events.awaitType(account, "payment.failed");
            events.awaitType(account, "subscription.canceled");
        }
        UUID paymentId = UUID.fromString(created.path("payment.id"));
        assertThat(ReactiveTransactions.inSession(() -> payments.findById(paymentId)).failureCode).isEqualTo("action_expired");
        // Too late for the customer: the sandbox forgot the charge.
        given().post(action).then().statusCode(404);
    }

    @Test
    void aTrialStartsAtOnceWithoutACharge() {
        String plan = createPlan(1200, 14, "MONTH");
        String account = newAccount();
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            subscribe(account, plan, SUCCESS, key()).then().statusCode(201).body("status", equalTo("TRIALING"))
                    .body("trialEnd", notNullValue()).body("payment", equalTo(null));
            events.awaitType(account, "subscription.activated");
        }
        given().auth().oauth2(subscriber(account)).get("/api/v1/invoices").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyChargesOnce() {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String key = key();

        Response first = subscribe(account, plan, SUCCESS, key);
        first.then().statusCode(201);
        Response again = subscribe(account, plan, SUCCESS, key);
        again.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(again.asString()).isEqualTo(first.asString());

        String id = first.path("id");
        awaitStatus(account, id, "ACTIVE");
        subscribe(account, plan, SUCCESS, key).then().statusCode(201).body("id", equalTo(id));
        int charges = ReactiveTransactions.inSession(() -> payments.listForSubscription(UUID.fromString(id))).size();
        assertThat(charges).isEqualTo(1);

        // The same key with another body is refused; a new key for a second subscription is a conflict.
        subscribe(account, createPlan(1999, 0, "MONTH"), SUCCESS, key).then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://palisade.dev/problems/idempotency-key-reused"));
        subscribe(account, plan, SUCCESS, key()).then().statusCode(409)
                .body("type", equalTo("https://palisade.dev/problems/subscription-exists"));
        // Keys belong to their account: another account's identical key is a different request.
        String other = newAccount();
        subscribe(other, plan, SUCCESS, key).then().statusCode(201).body("id", org.hamcrest.Matchers.not(equalTo(id)));
    }

    @Test
    void concurrentRetriesWithOneKeyChargeOnceAndConcurrentSubscribesMakeOneSubscription() throws Exception {
        String plan = createPlan(999, 0, "MONTH");
        String account = newAccount();
        String key = key();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Response>> sameKey = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sameKey.add(pool.submit(() -> subscribe(account, plan, SUCCESS, key)));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Response> f : sameKey) {
                Response r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(201);
                ids.add(r.path("id"));
            }
            assertThat(ids).hasSize(1);
            String id = ids.iterator().next();
            assertThat(ReactiveTransactions.inSession(() -> payments.listForSubscription(UUID.fromString(id)))).hasSize(1);

            String other = newAccount();
            List<Future<Response>> distinctKeys = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                distinctKeys.add(pool.submit(() -> subscribe(other, plan, SUCCESS, key())));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> f : distinctKeys) {
                statuses.add(f.get(60, TimeUnit.SECONDS).statusCode());
            }
            assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStateChangingPostWithoutIdempotencyKeyIsRefused() {
        String plan = createPlan(999, 0, "MONTH");
        given().auth().oauth2(subscriber(newAccount())).contentType(ContentType.JSON)
                .body(Map.of("planId", plan, "paymentMethodToken", SUCCESS))
                .post("/api/v1/subscriptions").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("field", equalTo("Idempotency-Key"));
    }

    @Test
    void aSuccessfulRenewalStartsTheNextPeriod() {
        String plan = createPlan(800, 0, "DAY");
        String account = newAccount();
        String id = activeSubscription(account, plan);
        OffsetDateTime periodEnd = OffsetDateTime.parse(subscription(account, id).path("currentPeriodEnd"));
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            ReactiveTransactions.await(() -> billingCycle.runDue(periodEnd.plusSeconds(1)));
            events.awaitType(account, "subscription.renewed");
        }
        OffsetDateTime next = OffsetDateTime.parse(subscription(account, id).path("currentPeriodEnd"));
        assertThat(next).isEqualTo(periodEnd.plusDays(1));
        given().auth().oauth2(subscriber(account)).get("/api/v1/invoices").then().statusCode(200).body("", hasSize(2));
    }

    @Test
    void aDeclinedRenewalWalksPastDueThroughRetriesToCanceled() {
        String plan = createPlan(800, 0, "DAY");
        String account = newAccount();
        String id = activeSubscription(account, plan);

        // The card is replaced by one that will be declined; that needs a second factor.
        given().auth().oauth2(subscriber(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(Map.of("paymentMethodToken", DECLINE)).post("/api/v1/subscriptions/" + id + "/payment-method")
                .then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/step-up-required"));
        given().auth().oauth2(subscriberAal2(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(Map.of("paymentMethodToken", DECLINE)).post("/api/v1/subscriptions/" + id + "/payment-method")
                .then().statusCode(200).body("last4", equalTo("0002"));

        OffsetDateTime periodEnd = OffsetDateTime.parse(subscription(account, id).path("currentPeriodEnd"));
        OffsetDateTime renewalAt = periodEnd.plusSeconds(1);
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            ReactiveTransactions.await(() -> billingCycle.runDue(renewalAt));
            awaitStatus(account, id, "PAST_DUE");
            events.awaitType(account, "subscription.past-due");
            subscription(account, id).then().body("failedRetries", equalTo(0))
                    .body("nextRetryAt", notNullValue());

            // Retries on the test schedule (1 h, 2 h after the failure), then the grace period (3 h) ends.
            ReactiveTransactions.await(() -> billingCycle.runDue(renewalAt.plusHours(1)));
            awaitRetries(account, id, 1);
            ReactiveTransactions.await(() -> billingCycle.runDue(renewalAt.plusHours(2)));
            awaitRetries(account, id, 2);
            subscription(account, id).then().body("status", equalTo("PAST_DUE"));
            ReactiveTransactions.await(() -> billingCycle.runDue(renewalAt.plusHours(3)));
            awaitStatus(account, id, "CANCELED");
            events.awaitType(account, "subscription.canceled");

            List<String> types = events.typesOf(account);
            assertThat(types).containsSubsequence("subscription.activated", "payment.failed", "subscription.past-due",
                    "payment.failed", "payment.failed", "subscription.canceled");
            assertThat(types.stream().filter("payment.failed"::equals).count()).isEqualTo(3);
        }
        given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions/" + id + "/transitions").then()
                .statusCode(200)
                .body("to", org.hamcrest.Matchers.hasItems("INCOMPLETE", "ACTIVE", "PAST_DUE", "CANCELED"))
                .body("[-1].reason", equalTo("unpaid after the grace period"));
    }

    private static void awaitRetries(String account, String id, int retries) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Integer.valueOf(retries).equals(subscription(account, id).path("failedRetries")));
    }

    private static String subscriptionOf(String account) {
        return given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions").then().statusCode(200)
                .extract().path("[0].id");
    }
}
