package dev.palisade.entitlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.TestInfrastructure;
import dev.palisade.testsupport.contract.EventSchemas;
import dev.palisade.testsupport.contract.ServiceWiringContract;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Every event on {@code entitlement.events} matches the JSON Schema published for its type
 * (src/main/resources/schemas/entitlement.events/TYPE.json); stream-gateway and monitor-service test against them.
 * Also: an operator ending one session publishes it as {@code playback.revoked}.
 */
@QuarkusTest
class EventContractTest {

    static final Set<String> TEST_ONLY_TYPES = Set.of("wiring.checked");

    final OidcTestIssuer issuer = TestInfrastructure.issuer();

    @Test
    void everyPublishedEventMatchesTheSchemaOfItsType() throws IOException {
        String operator = issuer.token("operator-1").groups("operator").aal2().sign();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", "Music 1", "number", 801, "origins", List.of("http://127.0.0.1:7001/music-1/")))
                .put("/api/v1/catalogue/channels/music-1").then().statusCode(200);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("name", "Music", "channels", List.of("music-1")))
                .put("/api/v1/catalogue/packages/music").then().statusCode(200);
        String account = UUID.randomUUID().toString();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("planId", "music-monthly", "packages", List.of("music"), "maxStreams", 1, "overflowPolicy", "refuse"))
                .put("/api/v1/admin/entitlements/" + account).then().statusCode(200);
        String viewer = issuer.token(account).sign();
        String first = start(viewer).then().statusCode(201).extract().jsonPath().getString("sessionId");
        start(viewer).then().statusCode(409);
        given().auth().oauth2(viewer).delete("/api/v1/playback/sessions/" + first).then().statusCode(204);
        String second = start(viewer).then().statusCode(201).extract().jsonPath().getString("sessionId");
        given().auth().oauth2(operator).get("/api/v1/admin/playback-sessions?accountId=" + account).then().statusCode(200)
                .body("[0].sessionId", org.hamcrest.Matchers.equalTo(second));
        given().auth().oauth2(viewer).get("/api/v1/admin/playback-sessions?accountId=" + account).then().statusCode(403);
        given().auth().oauth2(operator).queryParam("reason", "restreaming").delete("/api/v1/admin/playback-sessions/" + second)
                .then().statusCode(204);
        given().auth().oauth2(viewer).post("/api/v1/playback/sessions/" + second + "/heartbeat").then().statusCode(410)
                .body("reason", org.hamcrest.Matchers.equalTo("operator:restreaming"));
        start(viewer).then().statusCode(201);
        given().auth().oauth2(operator).delete("/api/v1/admin/entitlements/" + account).then().statusCode(204);

        Set<String> seen = new HashSet<>();
        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics("entitlement.events");
            await().atMost(Duration.ofSeconds(30)).until(() -> records.getRecords().stream()
                    .anyMatch(r -> "entitlement.revoked".equals(ServiceWiringContract.header(r, "ce_type")) && account.equals(r.key())));
            List<ConsumerRecord<String, String>> all = List.copyOf(records.getRecords());
            records.stop();
            for (ConsumerRecord<String, String> record : all) {
                String type = ServiceWiringContract.header(record, "ce_type");
                if (TEST_ONLY_TYPES.contains(type)) {
                    continue;
                }
                EventSchemas.assertMatches("entitlement.events", type, record.value());
                if (account.equals(record.key())) {
                    seen.add(type);
                }
            }
            assertThat(all.stream().filter(r -> account.equals(r.key()) && "playback.revoked".equals(ServiceWiringContract.header(r, "ce_type")))
                    .map(ConsumerRecord::value)).anyMatch(v -> v.contains(second) && v.contains("operator:restreaming"));
        }
        assertThat(seen).containsExactlyInAnyOrder("entitlement.granted", "entitlement.revoked", "playback.started", "playback.denied",
                "playback.ended", "playback.revoked");
    }

    private io.restassured.response.Response start(String viewer) {
        return given().auth().oauth2(viewer).contentType(ContentType.JSON).body(Map.of("channelId", "music-1", "deviceId", "radio"))
                .post("/api/v1/playback/sessions");
    }
}
