package dev.palisade.billing;

import static dev.palisade.billing.BillingFlows.DECLINE;
import static dev.palisade.billing.BillingFlows.activeSubscription;
import static dev.palisade.billing.BillingFlows.awaitStatus;
import static dev.palisade.billing.BillingFlows.createPlan;
import static dev.palisade.billing.BillingFlows.header;
import static dev.palisade.billing.BillingFlows.key;
import static dev.palisade.billing.BillingFlows.newAccount;
import static dev.palisade.billing.BillingFlows.subscriber;
import static dev.palisade.billing.BillingFlows.subscriberAal2;
import static dev.palisade.billing.BillingFlows.subscription;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.MatcherAssert.assertThat;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.palisade.billing.domain.BillingCycle;
import dev.palisade.testsupport.ReactiveTransactions;
import dev.palisade.testsupport.contract.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every event billing publishes matches the JSON Schema it owns in {@code schemas/billing.events/}; consumers test
 * their fixtures against the same files.
 */
@QuarkusTest
class EventContractTest {

    @Inject
    BillingCycle billingCycle;

    @Test
    void everyPublishedEventTypeMatchesItsSchema() throws IOException {
        String cheap = createPlan(500, 0, "DAY");
        String dear = createPlan(900, 0, "DAY");
        String account = newAccount();
        Set<String> seen = new HashSet<>();
        try (BillingFlows.Events events = new BillingFlows.Events()) {
            String id = activeSubscription(account, dear);
            OffsetDateTime end = OffsetDateTime.parse(subscription(account, id).path("currentPeriodEnd"));
            ReactiveTransactions.await(() -> billingCycle.runDue(end.plusSeconds(1)));
            events.awaitType(account, "subscription.renewed");

            given().auth().oauth2(subscriberAal2(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                    .body(Map.of("planId", cheap)).post("/api/v1/subscriptions/" + id + "/plan-change").then().statusCode(200);
            given().auth().oauth2(subscriberAal2(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                    .body(Map.of("paymentMethodToken", DECLINE)).post("/api/v1/subscriptions/" + id + "/payment-method")
                    .then().statusCode(200);
            OffsetDateTime next = OffsetDateTime.parse(subscription(account, id).path("currentPeriodEnd"));
            ReactiveTransactions.await(() -> billingCycle.runDue(next.plusSeconds(1)));
            awaitStatus(account, id, "PAST_DUE");
            given().auth().oauth2(subscriber(account)).header("Idempotency-Key", key()).contentType(ContentType.JSON)
                    .body(Map.of("atPeriodEnd", false)).post("/api/v1/subscriptions/" + id + "/cancel").then().statusCode(200);
            events.awaitType(account, "subscription.canceled");

            for (ConsumerRecord<String, String> record : events.of(account)) {
                String type = header(record, "ce_type");
                EventSchemas.assertMatches("billing.events", type, record.value());
                seen.add(type);
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("subscription.activated", "subscription.renewed",
                "subscription.plan-changed", "subscription.past-due", "subscription.canceled", "payment.succeeded",
                "payment.failed");
    }
}
