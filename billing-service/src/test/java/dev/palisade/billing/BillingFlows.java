package dev.palisade.billing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.palisade.billing.security.WebhookSignature;
import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** What the billing tests do over HTTP and read back from Kafka, in one place. */
final class BillingFlows {

    static final String TOPIC = "billing.events";
    static final String SUCCESS = "tok_sandbox_success";
    static final String DECLINE = "tok_sandbox_decline";
    static final String REQUIRES_ACTION = "tok_sandbox_requires_action";
    /** The test profile's webhook secrets (test-only values from application.properties). */
    static final String SECRET = "test-only-sandbox-webhook-secret-0001";
    static final String ROTATED_SECRET = "test-only-sandbox-webhook-secret-0002";

    private BillingFlows() {
    }

    static OidcTestIssuer issuer() {
        return TestInfrastructure.issuer();
    }

    static String newAccount() {
        return "acct-" + UUID.randomUUID();
    }

    static String subscriber(String account) {
        return issuer().token(account).sign();
    }

    static String subscriberAal2(String account) {
        return issuer().token(account).aal2().sign();
    }

    static String operator() {
        return issuer().token("op-" + UUID.randomUUID()).groups("operator").aal2().sign();
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    /** Creates a plan on sale and answers its id. */
    static String createPlan(long priceMinor, int trialDays, String interval) {
        String code = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> plan = Map.of("code", code, "name", "Plan " + code, "priceMinor", priceMinor, "currency", "EUR",
                "billingInterval", interval, "trialDays", trialDays, "channelPackages", List.of("basic", "sports"),
                "maxStreams", 2, "streamLimitPolicy", "REFUSE_NEW");
        return given().auth().oauth2(operator()).header("Idempotency-Key", key()).contentType(ContentType.JSON).body(plan)
                .post("/api/v1/plans").then().statusCode(201).extract().path("id");
    }

    static Response subscribe(String account, String planId, String cardToken, String idempotencyKey) {
        return given().auth().oauth2(subscriber(account)).header("Idempotency-Key", idempotencyKey)
                .contentType(ContentType.JSON).body(Map.of("planId", planId, "paymentMethodToken", cardToken))
                .post("/api/v1/subscriptions");
    }

    /** Subscribes with the success card and waits until the gateway's webhook made the subscription active. */
    static String activeSubscription(String account, String planId) {
        String id = subscribe(account, planId, SUCCESS, key()).then().statusCode(201).extract().path("id");
        awaitStatus(account, id, "ACTIVE");
        return id;
    }

    static Response subscription(String account, String id) {
        return given().auth().oauth2(subscriber(account)).get("/api/v1/subscriptions/" + id);
    }

    static void awaitStatus(String account, String id, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                () -> status.equals(subscription(account, id).then().statusCode(200).extract().path("status")));
    }

    static Response postWebhook(String signatureHeaderName, String signature, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (signature != null) {
            request = request.header(signatureHeaderName, signature);
        }
        return request.post("/api/v1/webhooks/sandbox");
    }

    static String webhookBody(String eventId, String type, String gatewayPaymentId) {
        return "{\"id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"created\":" + Instant.now().getEpochSecond()
                + ",\"data\":{\"paymentId\":\"" + gatewayPaymentId + "\",\"failureCode\":null}}";
    }

    static String sign(String secret, Instant at, String body) {
        return WebhookSignature.sign(secret, at, body);
    }

    /** The gateway's id of a charge waiting for customer action, read from its next-action URL. */
    static String gatewayPaymentId(String nextActionUrl) {
        String[] parts = nextActionUrl.split("/");
        return parts[parts.length - 2];
    }

    /** Consumes billing.events from the beginning; close it when done. */
    static final class Events implements AutoCloseable {
        private final KafkaCompanion companion = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers());
        private final ConsumerTask<String, String> task = companion.consumeStrings().fromTopics(TOPIC);

        List<ConsumerRecord<String, String>> of(String account) {
            return task.getRecords().stream().filter(r -> account.equals(r.key())).toList();
        }

        List<String> typesOf(String account) {
            return of(account).stream().map(r -> header(r, "ce_type")).toList();
        }

        void awaitType(String account, String type) {
            awaitMatching(account, r -> type.equals(header(r, "ce_type")));
        }

        void awaitMatching(String account, Predicate<ConsumerRecord<String, String>> condition) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> of(account).stream().anyMatch(condition));
        }

        @Override
        public void close() {
            task.stop();
            companion.close();
        }
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
