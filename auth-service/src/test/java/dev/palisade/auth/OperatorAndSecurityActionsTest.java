package dev.palisade.auth;

import static dev.palisade.auth.AuthFlows.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.commons.codec.binary.Base32;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.palisade.auth.repository.AccountRepository;
import dev.palisade.auth.security.TotpAuthenticator;
import dev.palisade.testsupport.ReactiveTransactions;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Operator actions (aal2 only), key rotation, service clients, and security actions arriving over Kafka. */
@QuarkusTest
class OperatorAndSecurityActionsTest {

    @Inject
    AccountRepository accounts;

    @Inject
    TotpAuthenticator totp;

    @Test
    void operatorLocksAndUnlocksAnAccountAndSeesItsSignIns() {
        String operator = operatorToken(true);
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        JsonPath viewer = AuthFlows.login(email, PASSWORD);
        String id = given().auth().oauth2(operator).queryParam("email", email.toUpperCase()).get("/api/v1/admin/accounts")
                .then().statusCode(200).body("locked", equalTo(false)).body("activeSessions", equalTo(1))
                .extract().jsonPath().getString("id");

        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("reason", "chargeback fraud"))
                .post("/api/v1/admin/accounts/" + id + "/lock").then().statusCode(204);
        TokenAndSessionTest.refresh(viewer.getString("refreshToken")).then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD)).post("/api/v1/login")
                .then().statusCode(403);

        given().auth().oauth2(operator).post("/api/v1/admin/accounts/" + id + "/unlock").then().statusCode(204);
        AuthFlows.login(email, PASSWORD);
        given().auth().oauth2(operator).get("/api/v1/admin/accounts/" + id + "/sign-ins").then().statusCode(200)
                .body("outcome", hasItem("failed")).body("reason", hasItem("account_locked"))
                .body("outcome", hasItem("succeeded")).body("ip", hasItem("127.0.0.1"));
        given().auth().oauth2(operator).post("/api/v1/admin/accounts/" + UUID.randomUUID() + "/unlock").then().statusCode(404);
    }

    @Test
    void operatorActionsNeedASecondFactor() {
        given().auth().oauth2(operatorToken(false)).queryParam("email", "a@example.org").get("/api/v1/admin/accounts")
                .then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/step-up-required"));
    }

    @Test
    void rotationPublishesThreeKeysAndEarlierTokensStayValid() {
        String operator = operatorToken(true);
        JsonPath before = AuthFlows.newAccountSignedIn();
        String newKid = given().auth().oauth2(operator).post("/api/v1/admin/signing-keys/rotate").then().statusCode(200)
                .extract().jsonPath().getString("signingKeyId");
        given().get("/oauth2/jwks").then().statusCode(200).body("keys", hasSize(3)).body("keys.kid", hasItem(newKid));
        given().auth().oauth2(before.getString("accessToken")).get("/api/v1/sessions").then().statusCode(200);
        JsonPath after = AuthFlows.newAccountSignedIn();
        assertThat(header(after.getString("accessToken"))).contains("\"kid\":\"" + newKid + "\"");
        given().auth().oauth2(after.getString("accessToken")).get("/api/v1/sessions").then().statusCode(200);
    }

    @Test
    void serviceClientsGetServiceTokensWithClientCredentials() {
        String operator = operatorToken(true);
        String clientId = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("clientId", clientId))
                .post("/api/v1/admin/service-clients").then().statusCode(201).extract().jsonPath().getString("clientSecret");
        String token = given().auth().preemptive().basic(clientId, secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(200)
                .extract().jsonPath().getString("access_token");
        Map<String, Object> claims = SignInJourneyTest.claims(token);
        assertThat(claims).containsEntry("sub", clientId).containsEntry("groups", List.of("service"));
        // A service token names no account: account calls answer 403, not an error.
        given().auth().oauth2(token).get("/api/v1/sessions").then().statusCode(403)
                .body("type", equalTo("https://palisade.dev/problems/account-token-required"));
        given().auth().preemptive().basic(clientId, secret + "x").contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void serviceClientsFromConfigurationExistWithTheirConfiguredSecret() {
        // palisade.auth.bootstrap-clients (test profile): how dev/up registers stream-gateway.
        String token = given().auth().preemptive().basic("bootstrap-test-client", "a-test-only-client-secret-of-40-characters")
                .contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(200)
                .extract().jsonPath().getString("access_token");
        assertThat(SignInJourneyTest.claims(token)).containsEntry("sub", "bootstrap-test-client").containsEntry("groups", List.of("service"));
        given().auth().preemptive().basic("bootstrap-test-client", "another-secret-of-more-than-32-characters")
                .contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(401);
        // Roles can be given too (dev/up's seeding client).
        String seed = given().auth().preemptive().basic("bootstrap-seed-client", "another-test-only-client-secret-of-48-chars")
                .contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").post("/oauth2/token").then().statusCode(200)
                .extract().jsonPath().getString("access_token");
        assertThat(SignInJourneyTest.claims(seed)).containsEntry("groups", List.of("service", "operator"));
    }

    @Test
    void securityActionsFromKafkaAreAppliedOnceEach() {
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        JsonPath viewer = AuthFlows.login(email, PASSWORD);
        String accountId = SignInJourneyTest.claims(viewer.getString("accessToken")).get("sub").toString();

        String lockId = UUID.randomUUID().toString();
        publish(lockId, "account.lock", accountId, "credential stuffing");
        await().atMost(Duration.ofSeconds(20)).until(() -> locked(email));
        TokenAndSessionTest.refresh(viewer.getString("refreshToken")).then().statusCode(400);

        // An operator unlocks; the same decision delivered again must not lock the account a second time.
        ReactiveTransactions.inTransaction(() -> accounts.findByEmail(email).invoke(a -> a.unlock(java.time.OffsetDateTime.now())));
        publish(lockId, "account.lock", accountId, "credential stuffing");
        JsonPath again = AuthFlows.login(email, PASSWORD);
        String marker = UUID.randomUUID().toString();
        publish(marker, "sessions.revoke", accountId, "token shared across networks");
        await().atMost(Duration.ofSeconds(20)).until(() -> TokenAndSessionTest.refresh(again.getString("refreshToken")).statusCode() == 400);
        assertThat(locked(email)).isFalse();
    }

    private boolean locked(String email) {
        return ReactiveTransactions.inSession(() -> accounts.findByEmail(email)).locked;
    }

    private static void publish(String id, String type, String accountId, String reason) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>("security.actions", accountId,
                    "{\"accountId\":\"" + accountId + "\",\"reason\":\"" + reason + "\"}");
            record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                    .add("ce_id", id.getBytes(StandardCharsets.UTF_8))
                    .add("ce_type", type.getBytes(StandardCharsets.UTF_8))
                    .add("ce_source", "/palisade/monitor-service".getBytes(StandardCharsets.UTF_8))
                    .add("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8))
                    .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An operator's token: with {@code aal2}, after enrolling TOTP and signing in with password and code. */
    private String operatorToken(boolean aal2) {
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        ReactiveTransactions.inTransaction(() -> accounts.findByEmail(email).invoke(a -> a.roles = "subscriber,operator"));
        JsonPath first = AuthFlows.login(email, PASSWORD);
        if (!aal2) {
            return first.getString("accessToken");
        }
        String secret = given().auth().oauth2(first.getString("accessToken")).post("/api/v1/mfa/totp").then().statusCode(200)
                .extract().jsonPath().getString("secret");
        byte[] key = new Base32().decode(secret);
        long step = TotpAuthenticator.step(Instant.now());
        given().auth().oauth2(first.getString("accessToken")).contentType(ContentType.JSON).body(Map.of("code", totp.codeAt(key, step)))
                .post("/api/v1/mfa/totp/confirm").then().statusCode(200);
        String mfaToken = AuthFlows.login(email, PASSWORD).getString("mfaToken");
        return SignInJourneyTest.secondFactor(mfaToken, Map.of("code", totp.codeAt(key, step + 1))).then().statusCode(200)
                .extract().jsonPath().getString("accessToken");
    }

    private static String header(String jwt) {
        return new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
    }
}
