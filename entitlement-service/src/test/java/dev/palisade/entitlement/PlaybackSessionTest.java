package dev.palisade.entitlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.ReactiveTransactions;
import dev.palisade.testsupport.TestInfrastructure;
import dev.palisade.testsupport.contract.ServiceWiringContract;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The concurrency ledger under real PostgreSQL: limits hold under parallel starts, by either policy. */
@QuarkusTest
class PlaybackSessionTest {

    static final String SESSIONS = "/api/v1/playback/sessions";

    @TestHTTPResource(SESSIONS)
    URL sessionsUrl;

    final OidcTestIssuer issuer = TestInfrastructure.issuer();
    String operator;

    @BeforeEach
    void catalogue() {
        operator = issuer.token("operator-1").groups("operator").aal2().sign();
        for (int n = 1; n <= 3; n++) {
            given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("name", "News " + n, "number", 100 + n, "category", "News",
                            "origins", List.of("http://127.0.0.1:7001/news-" + n, "http://127.0.0.1:7002/news-" + n)))
                    .put("/api/v1/catalogue/channels/news-" + n).then().statusCode(200);
        }
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("name", "Basic", "channels", List.of("news-1", "news-2")))
                .put("/api/v1/catalogue/packages/basic").then().statusCode(200).body("channels", equalTo(List.of("news-1", "news-2")));
    }

    @Test
    void twentyParallelStartsOnATwoStreamPlanLetExactlyTwoThrough() {
        String account = entitledAccount(2, "refuse");
        List<Integer> statuses = startInParallel(account, 20);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(2);
        assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(18);
        given().auth().oauth2(token(account)).get(SESSIONS).then().statusCode(200).body("size()", equalTo(2));
    }

    @Test
    void withEndTheOldestTwentyParallelStartsLeaveExactlyTwoRunning() {
        String account = entitledAccount(2, "evict_oldest");
        List<Integer> statuses = startInParallel(account, 20);
        assertThat(statuses).containsOnly(201);
        given().auth().oauth2(token(account)).get(SESSIONS).then().statusCode(200).body("size()", equalTo(2));
    }

    @Test
    void refusalsSayWhy() {
        String stranger = UUID.randomUUID().toString();
        start(stranger, "news-1").then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/not-entitled"));
        String account = entitledAccount(1, "refuse");
        start(account, "news-3").then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/channel-not-in-plan"));
        start(account, "no-such-channel").then().statusCode(404);
        start(account, "news-1").then().statusCode(201);
        start(account, "news-2").then().statusCode(409).body("type", equalTo("https://palisade.dev/problems/too-many-streams"))
                .body("limit", equalTo(1));
    }

    @Test
    void heartbeatKeepsASessionAndStopEndsIt() {
        String account = entitledAccount(1, "refuse");
        String id = start(account, "news-1").then().statusCode(201).extract().jsonPath().getString("sessionId");
        given().auth().oauth2(token(account)).post(SESSIONS + "/" + id + "/heartbeat").then().statusCode(200)
                .body("sessionId", equalTo(id)).body("heartbeatIntervalSeconds", equalTo(30));
        given().auth().oauth2(token(UUID.randomUUID().toString())).post(SESSIONS + "/" + id + "/heartbeat").then().statusCode(404);
        given().auth().oauth2(token(account)).delete(SESSIONS + "/" + id).then().statusCode(204);
        given().auth().oauth2(token(account)).post(SESSIONS + "/" + id + "/heartbeat").then().statusCode(410)
                .body("reason", equalTo("stopped"));
        start(account, "news-2").then().statusCode(201);
    }

    @Test
    void lineupListsOnlyEntitledChannelsWithoutOrigins() {
        String account = entitledAccount(1, "refuse");
        given().auth().oauth2(token(account)).get("/api/v1/lineup").then().statusCode(200)
                .body("id", equalTo(List.of("news-1", "news-2"))).body("[0].origins", org.hamcrest.Matchers.nullValue()).body("[0].name", equalTo("News 1"));
        given().auth().oauth2(token(UUID.randomUUID().toString())).get("/api/v1/lineup").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void revokingTheEntitlementEndsRunningSessionsAndPublishesIt() {
        String account = entitledAccount(2, "refuse");
        String id = start(account, "news-1").then().statusCode(201).extract().jsonPath().getString("sessionId");
        given().auth().oauth2(operator).delete("/api/v1/admin/entitlements/" + account).then().statusCode(204);
        given().auth().oauth2(token(account)).post(SESSIONS + "/" + id + "/heartbeat").then().statusCode(410);
        start(account, "news-1").then().statusCode(403);
        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics("entitlement.events");
            await().atMost(Duration.ofSeconds(30)).until(() -> records.getRecords().stream().anyMatch(r -> account.equals(r.key())
                    && "playback.revoked".equals(ServiceWiringContract.header(r, "ce_type")) && r.value().contains(id)));
            records.stop();
        }
    }

    @Test
    void aSecurityActionEndsTheAccountsSessionsOnce() throws Exception {
        String account = entitledAccount(2, "refuse");
        String id = start(account, "news-1").then().statusCode(201).extract().jsonPath().getString("sessionId");
        String actionId = UUID.randomUUID().toString();
        securityAction(actionId, "sessions.revoke", account);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> given().auth().oauth2(token(account))
                .post(SESSIONS + "/" + id + "/heartbeat").statusCode() == 410);
        // The same decision delivered again does not end the sessions started after it.
        String later = start(account, "news-2").then().statusCode(201).extract().jsonPath().getString("sessionId");
        securityAction(actionId, "sessions.revoke", account);
        // A later event of the same account (same partition) in the inbox means the redelivery was handled before it.
        String marker = UUID.randomUUID().toString();
        securityAction(marker, "step-up.require", account);
        await().atMost(Duration.ofSeconds(10)).until(() -> processed(marker));
        given().auth().oauth2(token(account)).post(SESSIONS + "/" + later + "/heartbeat").then().statusCode(200);
    }

    private static boolean processed(String eventId) {
        Long count = ReactiveTransactions.inSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT count(*) FROM processed_event WHERE event_id = :id", Long.class)
                .setParameter("id", eventId).getSingleResult()));
        return count == 1L;
    }

    private static void securityAction(String id, String type, String account) throws Exception {
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                Map.of("bootstrap.servers", TestInfrastructure.kafka().bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            var record = new org.apache.kafka.clients.producer.ProducerRecord<>("security.actions", account,
                    "{\"accountId\":\"" + account + "\",\"reason\":\"token shared across networks\"}");
            record.headers().add("ce_specversion", "1.0".getBytes()).add("ce_id", id.getBytes()).add("ce_type", type.getBytes())
                    .add("ce_source", "/palisade/monitor-service".getBytes()).add("content-type", "application/json".getBytes());
            producer.send(record).get();
        }
    }

    private String entitledAccount(int maxStreams, String policy) {
        String account = UUID.randomUUID().toString();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("planId", "family", "packages", List.of("basic"), "maxStreams", maxStreams, "overflowPolicy", policy))
                .put("/api/v1/admin/entitlements/" + account).then().statusCode(200).body("status", equalTo("active"));
        return account;
    }

    private String token(String account) {
        return issuer.token(account).sign();
    }

    private io.restassured.response.Response start(String account, String channel) {
        return given().auth().oauth2(token(account)).contentType(ContentType.JSON)
                .body(Map.of("channelId", channel, "deviceId", "tv-1")).post(SESSIONS);
    }

    /** Fires {@code n} session starts at once and answers their HTTP statuses. */
    private List<Integer> startInParallel(String account, int n) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = token(account);
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, n).mapToObj(i -> client.sendAsync(
                HttpRequest.newBuilder(URI.create(sessionsUrl.toString())).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"channelId\":\"news-" + (1 + i % 2) + "\",\"deviceId\":\"d" + i + "\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString())).toList();
        return calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
    }
}
