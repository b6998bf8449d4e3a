package dev.palisade.billing;

import static dev.palisade.billing.BillingFlows.activeSubscription;
import static dev.palisade.billing.BillingFlows.createPlan;
import static dev.palisade.billing.BillingFlows.key;
import static dev.palisade.billing.BillingFlows.newAccount;
import static dev.palisade.billing.BillingFlows.operator;
import static dev.palisade.billing.BillingFlows.subscriber;
import static dev.palisade.billing.BillingFlows.subscriberAal2;
import static dev.palisade.billing.BillingFlows.subscription;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.palisade.billing.domain.BillingCycle;
import dev.palisade.testsupport.ReactiveTransactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Plans, plan changes with proration, cancel and resume, invoices, and who may see and do what. */
@QuarkusTest
class SubscriptionManagementTest {

    @Inject
    BillingCycle billingCycle;

    @Test
    void operatorsManagePlansAndEveryoneReadsTheCatalogue() {
        String id = createPlan(1499, 7, "MONTH");
        given().get("/api/v1/plans/" + id).then().statusCode(200)
                .body("priceMinor", equalTo(1499)).body("currency", equalTo("EUR"))
                .body("trialDays", equalTo(7)).body("maxStreams", equalTo(2))
                .body("streamLimitPolicy", equalTo("REFUSE_NEW")).body("channelPackages", hasItem("sports"));
        given().get("/api/v1/plans").then().statusCode(200).body("id", hasItem(id));

        Map<String, Object> plan = Map.of("code", "pirate", "name", "Pirate", "priceMinor", 1, "currency", "EUR",
                "billingInterval", "MONTH", "channelPackages", List.of(), "maxStreams", 9, "streamLimitPolicy", "END_OLDEST");
        given().auth().oauth2(subscriber(newAccount())).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(plan).post("/api/v1/plans").then().statusCode(403);
        String aal1Operator = BillingFlows.issuer().token("op-x").groups("operator").sign();
        given().auth().oauth2(aal1Operator).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(plan).post("/api/v1/plans").then().statusCode(403)
                .body("type", equalTo("https://palisade.dev/problems/step-up-required"));

        Map<String, Object> invalid = Map.of("code", "bad-plan", "name", "Bad", "priceMinor", -5, "currency", "EUR",
                "billingInterval", "MONTH", "channelPackages", List.of(), "maxStreams", 0, "streamLimitPolicy", "END_OLDEST");
        given().auth().oauth2(operator()).header("Idempotency-Key", key()).contentType(ContentType.JSON).body(invalid)
                .post("/api/v1/plans").then().statusCode(400).contentType(startsWith("application/problem+json"));
        Map<String, Object> badCurrency = Map.of("code", "bad-currency", "name", "Bad", "priceMinor", 5, "currency", "XYZ",
                "billingInterval", "MONTH", "channelPackages", List.of(), "maxStreams", 1, "streamLimitPolicy", "END_OLDEST");
        given().auth().oauth2(operator()).header("Idempotency-Key", key()).contentType(ContentType.JSON).body(badCurrency)
                .post("/api/v1/plans").then().statusCode(400).body("field", equalTo("currency"));

        given().auth().oauth2(operator()).header("Idempotency-Key", key()).post("/api/v1/plans/" + id + "/withdraw")
                .then().statusCode(200).body("active", equalTo(false));
        given().get("/api/v1/plans").then().statusCode(200).body("id", org.hamcrest.Matchers.not(hasItem(id)));
    }

    @Test
    void anUpgradeIsPreviewedThenChargedProRataAndNeedsASecondFactor() {
        String basic = createPlan(1000, 0, "MONTH");
        String premium = createPlan(3000, 0, "MONTH");
        String account = newAccount();
        String id = activeSubscription(account, basic);

        given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions/" + id + "/plan-change-preview?planId=" + premium)
                .then().statusCode(200)
                .body("lines", hasSize(2))
                .body("amountDueMinor", greaterThan(1900))
                .body("currency", equalTo("EUR"));
        subscription(account, id).then().body("planId", equalTo(basic));

        given().auth().oauth2(subscriber(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(Map.of("planId", premium)).post("/api/v1/subscriptions/" + id + "/plan-change")
                .then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/step-up-required"));
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            given().auth().oauth2(subscriberAal2(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                    .body(Map.of("planId", premium)).post("/api/v1/subscriptions/" + id + "/plan-change")
                    .then().statusCode(200).body("planId", equalTo(premium)).body("payment.purpose", equalTo("PLAN_CHANGE"));
            events.awaitType(account, "subscription.plan-changed");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(subscriber(account)).get("/api/v1/invoices")
                .then().extract().<List<String>> path("status").stream().allMatch("PAID"::equals));
        String invoice = given().auth().oauth2(subscriber(account)).get("/api/v1/invoices").then().statusCode(200)
                .body("", hasSize(2)).body("[0].reason", equalTo("PLAN_CHANGE")).extract().path("[0].id");
        given().auth().oauth2(subscriber(account)).get("/api/v1/invoices/" + invoice).then().statusCode(200)
                .body("lines", hasSize(2)).body("lines[0].amountMinor", org.hamcrest.Matchers.lessThan(0))
                .body("lines[1].proration", equalTo(true));
    }

    @Test
    void cancelAtPeriodEndCanBeResumedAndOtherwiseEndsTheSubscription() {
        String plan = createPlan(500, 0, "DAY");
        String account = newAccount();
        String id = activeSubscription(account, plan);

        given().auth().oauth2(subscriber(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(Map.of("atPeriodEnd", true)).post("/api/v1/subscriptions/" + id + "/cancel")
                .then().statusCode(200).body("status", equalTo("ACTIVE")).body("cancelAtPeriodEnd", equalTo(true));
        given().auth().oauth2(subscriber(account)).header("Idempotency-Key", key())
                .post("/api/v1/subscriptions/" + id + "/resume")
                .then().statusCode(200).body("cancelAtPeriodEnd", equalTo(false));
        given().auth().oauth2(subscriber(account)).header("Idempotency-Key", key())
                .post("/api/v1/subscriptions/" + id + "/resume").then().statusCode(409);
        given().auth().oauth2(subscriber(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(Map.of("atPeriodEnd", true)).post("/api/v1/subscriptions/" + id + "/cancel").then().statusCode(200);

        OffsetDateTime periodEnd = OffsetDateTime.parse(subscription(account, id).path("currentPeriodEnd"));
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            ReactiveTransactions.await(() -> billingCycle.runDue(periodEnd.plusSeconds(1)));
            events.awaitType(account, "subscription.canceled");
        }
        subscription(account, id).then().body("status", equalTo("CANCELED"));
        given().auth().oauth2(subscriber(account)).get("/api/v1/invoices").then().body("", hasSize(1));
    }

    @Test
    void cancelNowEndsAtOnceAndAllowsANewSubscription() {
        String plan = createPlan(500, 0, "MONTH");
        String account = newAccount();
        String id = activeSubscription(account, plan);
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            given().auth().oauth2(subscriber(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                    .body(Map.of("atPeriodEnd", false)).post("/api/v1/subscriptions/" + id + "/cancel")
                    .then().statusCode(200).body("status", equalTo("CANCELED"));
            events.awaitType(account, "subscription.canceled");
        }
        activeSubscription(account, plan);
        given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions").then().body("", hasSize(2));
    }

    @Test
    void someoneElsesSubscriptionAndInvoiceAreNotFoundNotForbidden() {
        String plan = createPlan(500, 0, "MONTH");
        String owner = newAccount();
        String id = activeSubscription(owner, plan);
        String invoice = given().auth().oauth2(subscriber(owner)).get("/api/v1/invoices").then().statusCode(200)
                .extract().path("[0].id");
        String stranger = newAccount();
        String token = subscriber(stranger);
        String strangerAal2 = subscriberAal2(stranger);

        given().auth().oauth2(token).get("/api/v1/subscriptions/" + id).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().auth().oauth2(token).get("/api/v1/subscriptions/" + id + "/transitions").then().statusCode(404);
        given().auth().oauth2(token).get("/api/v1/subscriptions/" + id + "/payment-method").then().statusCode(404);
        given().auth().oauth2(token).get("/api/v1/invoices/" + invoice).then().statusCode(404);
        given().auth().oauth2(token).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(Map.of("atPeriodEnd", false)).post("/api/v1/subscriptions/" + id + "/cancel").then().statusCode(404);
        given().auth().oauth2(strangerAal2).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                .body(Map.of("paymentMethodToken", "tok_sandbox_decline"))
                .post("/api/v1/subscriptions/" + id + "/payment-method").then().statusCode(404);
        given().auth().oauth2(token).get("/api/v1/invoices").then().statusCode(200).body("", hasSize(0));

        subscription(owner, id).then().statusCode(200).body("status", equalTo("ACTIVE"));
        given().get("/api/v1/subscriptions/" + id).then().statusCode(401);
    }

    @Test
    void anIssuedInvoiceCannotBeAlteredOrDeleted() {
        String account = newAccount();
        activeSubscription(account, createPlan(500, 0, "MONTH"));
        String invoice = given().auth().oauth2(subscriber(account)).get("/api/v1/invoices").then().statusCode(200)
                .extract().path("[0].id");
        UUID id = UUID.fromString(invoice);
        assertThatThrownBy(() -> ReactiveTransactions.inTransaction(() -> Panache.getSession().chain(s -> s
                .createNativeQuery("UPDATE invoice SET total_minor = 1 WHERE id = :id").setParameter("id", id).executeUpdate())))
                .hasStackTraceContaining("immutable");
        assertThatThrownBy(() -> ReactiveTransactions.inTransaction(() -> Panache.getSession().chain(s -> s
                .createNativeQuery("DELETE FROM invoice_line WHERE invoice_id = :id").setParameter("id", id).executeUpdate())))
                .hasStackTraceContaining("cannot be changed or deleted");
        given().auth().oauth2(subscriber(account)).get("/api/v1/invoices/" + invoice).then().statusCode(200)
                .body("totalMinor", equalTo(500)).body("lines", hasSize(1));
    }

    @Test
    void anUnknownCardTokenIsRefusedAndNothingIsLeftBehind() {
        String plan = createPlan(500, 0, "MONTH");
        String account = newAccount();
        BillingFlows.subscribe(account, plan, "4242424242424242", key()).then().statusCode(402)
                .body("type", equalTo("https://palisade.dev/problems/payment-declined"))
                .body("code", equalTo("invalid_token"));
        given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions").then().body("", hasSize(0));
    }
}
