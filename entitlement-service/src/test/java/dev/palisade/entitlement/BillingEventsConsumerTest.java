package dev.palisade.entitlement;

import static io.restassured.RestAssured.given;
import static io.restassured.module.jsv.JsonSchemaValidator.matchesJsonSchema;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.ReactiveTransactions;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Subscriptions become entitlements over real Kafka. The fixtures are checked against billing-service's published
 * JSON Schemas first, so a change of the producer's contract breaks this test, not production.
 */
@QuarkusTest
class BillingEventsConsumerTest {

    static final Path PRODUCER_SCHEMAS = Path.of("..", "billing-service", "src", "main", "resources", "schemas", "billing.events");

    final OidcTestIssuer issuer = TestInfrastructure.issuer();

    @BeforeEach
    void catalogue() {
        String operator = issuer.token("operator-1").groups("operator").aal2().sign();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", "Sports 1", "number", 201, "origins", List.of("http://127.0.0.1:7001/sports-1")))
                .put("/api/v1/catalogue/channels/sports-1").then().statusCode(200);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("name", "Basic", "channels", List.of("sports-1")))
                .put("/api/v1/catalogue/packages/basic").then().statusCode(200);
    }

    @Test
    void anActivatedSubscriptionMakesTheChannelPlayableAndACancellationRevokesRunningSessions() throws Exception {
        String account = UUID.randomUUID().toString();
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC);
        publish("subscription.activated", account, fixture("subscription.activated", account, t0));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> start(account).statusCode() == 201);
        String session = given().auth().oauth2(issuer.token(account).sign()).get("/api/v1/playback/sessions").then().statusCode(200)
                .extract().jsonPath().getString("[0].sessionId");

        publish("subscription.canceled", account, fixture("subscription.canceled", account, t0.plusSeconds(10)));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> given()
                .auth().oauth2(issuer.token(account).sign()).post("/api/v1/playback/sessions/" + session + "/heartbeat").statusCode() == 410);
        start(account).then().statusCode(403);
    }

    @Test
    void redeliveredAndOutOfOrderEventsDoNotRollTheAccountBack() throws Exception {
        String account = UUID.randomUUID().toString();
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC);
        String activated = fixture("subscription.activated", account, t0);
        String activatedId = publish("subscription.activated", account, activated);
        publish("subscription.canceled", account, fixture("subscription.canceled", account, t0.plusSeconds(10)));
        // The same activation again (redelivery), and an older activation arriving late: both change nothing.
        publish("subscription.activated", account, activated, activatedId);
        String late = publish("subscription.activated", account, fixture("subscription.activated", account, t0.minusSeconds(30)));
        // Same key, same partition: once the late event is in the inbox, everything before it was handled too.
        await().atMost(Duration.ofSeconds(10)).until(() -> processed(late));
        start(account).then().statusCode(403);
    }

    private static boolean processed(String eventId) {
        Long count = ReactiveTransactions.inSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT count(*) FROM processed_event WHERE event_id = :id", Long.class)
                .setParameter("id", eventId).getSingleResult()));
        return count == 1L;
    }

    private static io.restassured.response.Response start(String account) {
        return given().auth().oauth2(TestInfrastructure.issuer().token(account).sign()).contentType(ContentType.JSON)
                .body(Map.of("channelId", "sports-1", "deviceId", "tv")).post("/api/v1/playback/sessions");
    }

    /** The fixture of {@code type}, filled in and checked against the producer's schema. */
    private static String fixture(String type, String account, OffsetDateTime occurredAt) throws IOException {
        String template;
        try (InputStream in = BillingEventsConsumerTest.class.getResourceAsStream("/fixtures/billing.events/" + type + ".json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String event = template.replace("${accountId}", account).replace("${occurredAt}", occurredAt.toString())
                .replace("${periodStart}", occurredAt.toString()).replace("${periodEnd}", occurredAt.plusMonths(1).toString());
        assertThat(event, matchesJsonSchema(Files.readString(PRODUCER_SCHEMAS.resolve(type + ".json"))));
        return event;
    }

    private static String publish(String type, String account, String data) throws Exception {
        return publish(type, account, data, UUID.randomUUID().toString());
    }

    private static String publish(String type, String account, String data, String id) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>("billing.events", account, data);
            record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                    .add("ce_id", id.getBytes(StandardCharsets.UTF_8))
                    .add("ce_type", type.getBytes(StandardCharsets.UTF_8))
                    .add("ce_source", "/palisade/billing-service".getBytes(StandardCharsets.UTF_8))
                    .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        return id;
    }
}
