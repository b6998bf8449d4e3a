package dev.palisade.auth;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.palisade.auth.domain.OutboxEvent;
import dev.palisade.auth.messaging.Outbox;
import dev.palisade.auth.repository.OutboxEventRepository;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;

/** Readiness reflects the real dependencies and recovers by itself when they come back. */
@QuarkusTest
class ReadinessTest {

    @Inject
    Outbox outbox;

    @Inject
    OutboxEventRepository repository;

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
        OutboxEvent written;
        try {
            awaitReadiness(503, "DOWN");
            // State changes still commit while Kafka is away; their events wait in the outbox.
            written = TestTransactions.inTransaction(
                    () -> outbox.enqueue(UUID.randomUUID().toString(), "wiring.checked", Map.of("during", "kafka outage")));
        } finally {
            TestInfrastructure.kafka().start();
        }
        awaitReadiness(200, "UP");
        await().atMost(Duration.ofSeconds(60)).until(() -> TestTransactions.inSession(
                () -> repository.findById(written.id)).publishedAt != null);
    }

    private static void awaitReadiness(int status, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> given()
                .get("/q/health/ready").then().statusCode(status).body("status", equalTo(state)));
    }
}
