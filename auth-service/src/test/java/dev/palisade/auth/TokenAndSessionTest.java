package dev.palisade.auth;

import static dev.palisade.auth.AuthFlows.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import dev.palisade.auth.repository.AccountRepository;
import dev.palisade.auth.security.SigningKeyRing;
import dev.palisade.testsupport.ReactiveTransactions;
import dev.palisade.testsupport.OidcTestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Tokens issued by auth-service, verified by quarkus-oidc from nothing but the issuer URL (auth-service verifies its
 * own tokens that way), refresh rotation with reuse detection, sessions, lockout, and every refusal.
 */
@QuarkusTest
class TokenAndSessionTest {

    static final String ISSUER = "http://localhost:48081";

    @Inject
    SigningKeyRing keys;

    @Inject
    AccountRepository accounts;

    @Test
    void refreshRotatesAndReuseOfAnOldTokenRevokesTheSession() {
        JsonPath first = AuthFlows.newAccountSignedIn();
        JsonPath second = refresh(first.getString("refreshToken")).then().statusCode(200)
                .header("Cache-Control", "no-store").extract().jsonPath();
        assertThat(second.getString("refresh_token")).isNotEqualTo(first.getString("refreshToken"));
        assertThat(second.getString("session_id")).isEqualTo(first.getString("sessionId"));
        given().auth().oauth2(second.getString("access_token")).get("/api/v1/sessions").then().statusCode(200);

        // Someone replays the first token: refused, and the whole session (family) ends.
        refresh(first.getString("refreshToken")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(second.getString("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void logoutEndsTheSessionAndItsRefreshTokens() {
        JsonPath tokens = AuthFlows.newAccountSignedIn();
        given().auth().oauth2(tokens.getString("accessToken")).post("/api/v1/logout").then().statusCode(204);
        refresh(tokens.getString("refreshToken")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        // auth-service itself refuses the ended session's access token at once.
        given().auth().oauth2(tokens.getString("accessToken")).get("/api/v1/sessions").then().statusCode(401)
                .body("type", equalTo("https://palisade.dev/problems/session-ended"));
    }

    @Test
    void listAndEndMySessionsButNotOthers() {
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        JsonPath phone = AuthFlows.login(email, PASSWORD);
        JsonPath tv = AuthFlows.login(email, PASSWORD);
        given().auth().oauth2(tv.getString("accessToken")).get("/api/v1/sessions").then().statusCode(200)
                .body("size()", equalTo(2)).body("find { it.current }.id", equalTo(tv.getString("sessionId")))
                .body("userAgent", hasItem("PalisadeTest/1.0")).body("deviceId", hasItem("test-device"));

        JsonPath stranger = AuthFlows.newAccountSignedIn();
        given().auth().oauth2(stranger.getString("accessToken")).delete("/api/v1/sessions/" + phone.getString("sessionId"))
                .then().statusCode(404);
        given().auth().oauth2(tv.getString("accessToken")).delete("/api/v1/sessions/" + phone.getString("sessionId"))
                .then().statusCode(204);
        refresh(phone.getString("refreshToken")).then().statusCode(400);
        refresh(tv.getString("refreshToken")).then().statusCode(200);
    }

    @Test
    void repeatedFailuresLockTheAddressTemporarilyWhetherOrNotItExists() {
        String known = AuthFlows.newEmail();
        AuthFlows.register(known, PASSWORD);
        for (String email : List.of(known, AuthFlows.newEmail())) {
            for (int i = 0; i < 5; i++) {
                loginFrom(email, "wrong password number " + i, "198.51." + i + ".7").then().statusCode(401);
            }
            loginFrom(email, PASSWORD, "198.51.100.7").then().statusCode(429)
                    .header("Retry-After", notNullValue())
                    .body("type", equalTo("https://palisade.dev/problems/too-many-attempts"))
                    .body("retryAfterSeconds", greaterThanOrEqualTo(1));
        }
    }

    @Test
    void oneClientIpFailingAcrossManyAccountsIsBlocked() {
        String ip = "203.0.113.9";
        for (int i = 0; i < 20; i++) {
            loginFrom(AuthFlows.newEmail(), "stuffed password " + i, ip).then().statusCode(401);
        }
        String victim = AuthFlows.newEmail();
        AuthFlows.register(victim, PASSWORD);
        loginFrom(victim, PASSWORD, ip).then().statusCode(429);
        loginFrom(victim, PASSWORD, "192.0.2.50").then().statusCode(200);
    }

    @Test
    void aLockedAccountIsToldSoOnlyWithTheRightPassword() {
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        ReactiveTransactions.inTransaction(() -> accounts.findByEmail(email).invoke(a -> a.lock("operator", OffsetDateTime.now())));
        loginFrom(email, "wrong password here", "192.0.2.60").then().statusCode(401);
        loginFrom(email, PASSWORD, "192.0.2.60").then().statusCode(403)
                .body("type", equalTo("https://palisade.dev/problems/account-locked"));
    }

    @Test
    void operatorTokenOpensOperatorEndpointsAndSubscriberTokenDoesNot() {
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        String subscriber = AuthFlows.login(email, PASSWORD).getString("accessToken");
        given().auth().oauth2(subscriber).get("/api/v1/ops/outbox").then().statusCode(403);
        ReactiveTransactions.inTransaction(() -> accounts.findByEmail(email).invoke(a -> a.roles = "subscriber,operator"));
        String operator = AuthFlows.login(email, PASSWORD).getString("accessToken");
        given().auth().oauth2(operator).get("/api/v1/ops/outbox").then().statusCode(200)
                .body("pendingEvents", greaterThanOrEqualTo(0));
    }

    @Test
    void theBootstrapOperatorExistsWithOperatorAndAdminRoles() {
        String token = AuthFlows.login("first-operator@example.org", "first operator test passphrase").getString("accessToken");
        Map<String, Object> claims = SignInJourneyTest.claims(token);
        assertThat(claims.get("groups")).isEqualTo(List.of("subscriber", "operator", "admin"));
    }

    @Test
    void refusesMissingExpiredForgedAndUnsignedTokens() throws Exception {
        given().get("/api/v1/sessions").then().statusCode(401);
        given().auth().oauth2(expiredToken()).get("/api/v1/sessions").then().statusCode(401);
        given().auth().oauth2(OidcTestIssuer.forgedToken(ISSUER, "palisade", "someone", "operator"))
                .get("/api/v1/sessions").then().statusCode(401);
        given().auth().oauth2(OidcTestIssuer.unsignedToken(ISSUER, "palisade", "someone", "operator"))
                .get("/api/v1/sessions").then().statusCode(401);
        given().get("/api/v1/nothing-here").then().statusCode(404).contentType(startsWith("application/problem+json"));
    }

    private String expiredToken() throws Exception {
        SigningKeyRing.ActiveKey key = keys.active();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience("palisade");
        claims.setSubject(java.util.UUID.randomUUID().toString());
        claims.setStringListClaim("groups", "subscriber");
        long past = System.currentTimeMillis() / 1000 - 3600;
        claims.setIssuedAt(NumericDate.fromSeconds(past));
        claims.setExpirationTime(NumericDate.fromSeconds(past + 300));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    static io.restassured.response.Response refresh(String refreshToken) {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken).post("/oauth2/token");
    }

    static io.restassured.response.Response loginFrom(String email, String password, String ip) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .body(Map.of("email", email, "password", password)).post("/api/v1/login");
    }
}
