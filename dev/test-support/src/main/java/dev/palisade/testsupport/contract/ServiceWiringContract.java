package dev.palisade.testsupport.contract;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import dev.palisade.testsupport.TestInfrastructure;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * What every Palisade service must do with its infrastructure, checked inside the service's own {@code @QuarkusTest}:
 * a row written to its outbox in a transaction reaches its Kafka topic as a CloudEvent (binary mode, keyed by entity)
 * and is marked published; readiness reflects PostgreSQL and Kafka and recovers without a restart; an event committed
 * while Kafka is away is delivered when it returns.
 */
public abstract class ServiceWiringContract {

    /** An outbox row: the CloudEvents id it will carry and the service's handle to look it up again. */
    public record Enqueued(String eventId, Object rowId) {
    }

    /** The service's topic, e.g. {@code billing.events}. */
    protected abstract String topic();

    /** The service's name as in its CloudEvents source, e.g. {@code billing-service}. */
    protected abstract String serviceName();

    /** Writes an event to the service's outbox in a transaction of its own. */
    protected abstract Enqueued enqueue(String key, String type, Map<String, Object> payload);

    /** Whether the relay marked that row published. */
    protected abstract boolean isPublished(Object rowId);

    @Test
    void committedOutboxEventReachesKafkaAsCloudEventAndIsMarkedPublished() {
        String key = UUID.randomUUID().toString();
        Enqueued written = enqueue(key, "wiring.checked", Map.of("entity", key, "note", "round trip"));

        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics(topic());
            await().atMost(Duration.ofSeconds(30)).until(() -> records.getRecords().stream()
                    .anyMatch(r -> written.eventId().equals(header(r, "ce_id"))));
            ConsumerRecord<String, String> record = records.getRecords().stream()
                    .filter(r -> written.eventId().equals(header(r, "ce_id"))).findFirst().orElseThrow();
            records.stop();

            assertEquals(key, record.key());
            assertEquals("wiring.checked", header(record, "ce_type"));
            assertEquals("/palisade/" + serviceName(), header(record, "ce_source"));
            assertEquals("1.0", header(record, "ce_specversion"));
            assertNotNull(header(record, "ce_time"));
            assertTrue(record.value().contains("\"entity\":\"" + key + "\"") && record.value().contains("round trip"), record.value());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> isPublished(written.rowId()));
    }

    @Test
    void readyWhenDatabaseAndKafkaAreUp() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
                .body("checks.name", hasItem("Kafka connection health check"));
    }

    @Test
    void notReadyWhileDatabaseIsDownAndReadyAgainWhenItReturns() {
        assumeTrue(TestInfrastructure.postgres().isEmbedded(), "external PostgreSQL is not stopped by tests");
        TestInfrastructure.postgres().stop();
        try {
            awaitReadiness(503, "DOWN");
        } finally {
            TestInfrastructure.postgres().start();
        }
        awaitReadiness(200, "UP");
    }

    @Test
    void notReadyWhileKafkaIsDownAndEventsFlowAgainWhenItReturns() {
        assumeTrue(TestInfrastructure.kafka().isEmbedded(), "external Kafka is not stopped by tests");
        TestInfrastructure.kafka().stop();
        Enqueued written;
        try {
            awaitReadiness(503, "DOWN");
            // State changes still commit while Kafka is away; their events wait in the outbox.
            written = enqueue(UUID.randomUUID().toString(), "wiring.checked", Map.of("during", "kafka outage"));
        } finally {
            TestInfrastructure.kafka().start();
        }
        awaitReadiness(200, "UP");
        await().atMost(Duration.ofSeconds(60)).until(() -> isPublished(written.rowId()));
    }

    /** A header of a record as text, or null. */
    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void awaitReadiness(int status, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> given()
                .get("/q/health/ready").then().statusCode(status).body("status", equalTo(state)));
    }
}
