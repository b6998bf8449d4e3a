package dev.palisade.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.palisade.auth.domain.OutboxEvent;
import dev.palisade.auth.messaging.Outbox;
import dev.palisade.auth.repository.OutboxEventRepository;
import dev.palisade.testsupport.PalisadeTestResource;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** A row written in PostgreSQL travels through the outbox to Kafka and is read back as a CloudEvent. */
@QuarkusTest
@QuarkusTestResource(value = PalisadeTestResource.class, initArgs = { @ResourceArg(name = "database", value = "auth"),
        @ResourceArg(name = "oidc", value = "false") })
class InfrastructureRoundTripTest {

    static final String TOPIC = "auth.events";

    @Inject
    Outbox outbox;

    @Inject
    OutboxEventRepository repository;

    @Test
    void committedEventReachesKafkaAsCloudEventAndIsMarkedPublished() {
        String account = UUID.randomUUID().toString();
        OutboxEvent written = TestTransactions.inTransaction(
                () -> outbox.enqueue(account, "wiring.checked", Map.of("account", account, "note", "round trip")));

        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics(TOPIC);
            await().atMost(Duration.ofSeconds(30)).until(() -> records.getRecords().stream()
                    .anyMatch(r -> written.eventId.toString().equals(header(r, "ce_id"))));
            ConsumerRecord<String, String> record = records.getRecords().stream()
                    .filter(r -> written.eventId.toString().equals(header(r, "ce_id"))).findFirst().orElseThrow();
            records.stop();

            assertThat(record.key()).isEqualTo(account);
            assertThat(header(record, "ce_type")).isEqualTo("wiring.checked");
            assertThat(header(record, "ce_source")).isEqualTo("/palisade/auth-service");
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_time")).isNotBlank();
            assertThat(record.value()).contains("\"account\":\"" + account + "\"").contains("round trip");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> TestTransactions.inSession(
                () -> repository.findById(written.id)).publishedAt != null);
    }

    @Test
    void signInsArePublishedWithTheirClientContext() {
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, AuthFlows.PASSWORD);
        String sessionId = AuthFlows.login(email, AuthFlows.PASSWORD).getString("sessionId");
        io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("email", email, "password", "a wrong password")).post("/api/v1/login").then().statusCode(401);

        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics(TOPIC);
            await().atMost(Duration.ofSeconds(30)).until(() -> records.getRecords().stream()
                    .anyMatch(r -> r.value().contains(sessionId)));
            ConsumerRecord<String, String> succeeded = records.getRecords().stream()
                    .filter(r -> r.value().contains(sessionId)).findFirst().orElseThrow();
            // The failure is keyed by the same account, so per-account order holds on the topic.
            await().atMost(Duration.ofSeconds(30)).until(() -> records.getRecords().stream()
                    .anyMatch(r -> "login.failed".equals(header(r, "ce_type")) && succeeded.key().equals(r.key())
                            && r.value().contains("\"reason\":\"wrong_password\"")));
            records.stop();
            assertThat(header(succeeded, "ce_type")).isEqualTo("login.succeeded");
            assertThat(succeeded.value()).contains("\"ip\":\"127.0.0.1\"").contains("\"userAgent\":\"PalisadeTest/1.0\"")
                    .contains("\"deviceId\":\"test-device\"").contains("\"acr\":\"aal1\"");
        }
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
