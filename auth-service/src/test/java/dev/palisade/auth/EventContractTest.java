package dev.palisade.auth;

import static dev.palisade.auth.AuthFlows.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.palisade.testsupport.TestInfrastructure;
import dev.palisade.testsupport.contract.EventSchemas;
import dev.palisade.testsupport.contract.ServiceWiringContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Every event auth-service puts on {@code auth.events} matches the JSON Schema it publishes for its type
 * (src/main/resources/schemas/auth.events/TYPE.json), which consumers check their fixtures against.
 */
@QuarkusTest
class EventContractTest {

    static final String TOPIC = "auth.events";

    /** Published only by the wiring test of this module. */
    static final Set<String> TEST_ONLY_TYPES = Set.of("wiring.checked");

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
                    .anyMatch(r -> "login.failed".equals(ServiceWiringContract.header(r, "ce_type")) && succeeded.key().equals(r.key())
                            && r.value().contains("\"reason\":\"wrong_password\"")));
            records.stop();
            assertThat(ServiceWiringContract.header(succeeded, "ce_type")).isEqualTo("login.succeeded");
            assertThat(succeeded.value()).contains("\"ip\":\"127.0.0.1\"").contains("\"userAgent\":\"PalisadeTest/1.0\"")
                    .contains("\"deviceId\":\"test-device\"").contains("\"acr\":\"aal1\"");
        }
    }

    @Test
    void everyPublishedEventMatchesTheSchemaOfItsType() throws IOException {
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        AuthFlows.register(email, PASSWORD);
        AuthFlows.login(email, PASSWORD);
        given().contentType(ContentType.JSON).header("X-Device-Id", "another-device")
                .body(Map.of("email", email, "password", PASSWORD)).post("/api/v1/login").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "a wrong password")).post("/api/v1/login")
                .then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", AuthFlows.newEmail(), "password", "a wrong password"))
                .post("/api/v1/login").then().statusCode(401);

        Set<String> seen = new HashSet<>();
        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics(TOPIC);
            await().atMost(Duration.ofSeconds(30)).until(() -> records.getRecords().stream()
                    .filter(r -> "login.new-device".equals(ServiceWiringContract.header(r, "ce_type")))
                    .anyMatch(r -> r.value().contains("another-device")));
            List<ConsumerRecord<String, String>> all = List.copyOf(records.getRecords());
            records.stop();
            for (ConsumerRecord<String, String> record : all) {
                String type = ServiceWiringContract.header(record, "ce_type");
                if (TEST_ONLY_TYPES.contains(type)) {
                    continue;
                }
                EventSchemas.assertMatches(TOPIC, type, record.value());
                seen.add(type);
            }
        }
        assertThat(seen).contains("account.registered", "account.registration-repeated", "login.succeeded", "login.new-device",
                "login.failed");
    }
}
