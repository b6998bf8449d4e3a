package dev.palisade.auth;

import static dev.palisade.auth.AuthFlows.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palisade.auth.security.TotpAuthenticator;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Journey 1 of shared/ARCHITECTURE.md over HTTP: sign-up, TOTP with an independent authenticator, sign-in. */
@io.quarkus.test.junit.QuarkusTest
class SignInJourneyTest {

    @Test
    @SuppressWarnings("unchecked")
    void signUpEnrolTotpWithOathtoolThenSignInWithPasswordAndCode() {
        assumeTrue(AuthFlows.oathtoolInstalled(), "oathtool is not installed (apt-get install oathtool); CI installs it");
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        JsonPath aal1 = AuthFlows.login(email, PASSWORD);
        assertThat(aal1.getBoolean("mfaRequired")).isFalse();
        assertThat(aal1.getString("acr")).isEqualTo("aal1");
        String token = aal1.getString("accessToken");

        JsonPath enrolment = given().auth().oauth2(token).contentType(ContentType.JSON).post("/api/v1/mfa/totp")
                .then().statusCode(200).extract().jsonPath();
        String secret = enrolment.getString("secret");
        assertThat(enrolment.getString("otpauthUri")).startsWith("otpauth://totp/Palisade:").contains("secret=" + secret)
                .contains("issuer=Palisade").contains("digits=6").contains("period=30");
        byte[] png = Base64.getDecoder().decode(enrolment.getString("qrCodePng").substring("data:image/png;base64,".length()));
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");

        Instant now = Instant.now();
        String firstCode = AuthFlows.oathtool(secret, now);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("code", "000000".equals(firstCode) ? "111111" : "000000"))
                .post("/api/v1/mfa/totp/confirm").then().statusCode(401);
        List<String> recoveryCodes = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("code", firstCode))
                .post("/api/v1/mfa/totp/confirm").then().statusCode(200).body("recoveryCodes", hasSize(10))
                .extract().jsonPath().getList("recoveryCodes", String.class);

        // The password alone no longer signs in: it opens the second step.
        JsonPath step1 = AuthFlows.login(email, PASSWORD);
        assertThat(step1.getBoolean("mfaRequired")).isTrue();
        assertThat(step1.getString("accessToken")).isNull();
        String mfaToken = step1.getString("mfaToken");

        // The code used to confirm is spent: replaying it is refused.
        secondFactor(mfaToken, Map.of("code", firstCode)).then().statusCode(401)
                .body("type", equalTo("https://palisade.dev/problems/invalid-second-factor"));
        // The next step's code (inside the ±1 window) works, once.
        String nextCode = AuthFlows.oathtool(secret, now.plus(TotpAuthenticator.STEP));
        JsonPath aal2 = secondFactor(mfaToken, Map.of("code", nextCode)).then().statusCode(200).extract().jsonPath();
        assertThat(aal2.getString("acr")).isEqualTo("aal2");
        Map<String, Object> claims = claims(aal2.getString("accessToken"));
        assertThat(claims).containsEntry("acr", "aal2").containsEntry("aud", "palisade");
        assertThat((List<Object>) claims.get("amr")).contains("pwd", "otp");
        assertThat((List<Object>) claims.get("groups")).contains("subscriber");
        assertThat(claims.get("sid")).isEqualTo(aal2.getString("sessionId"));

        // The mfa token is single use, and a replayed code fails on a new one too.
        secondFactor(mfaToken, Map.of("code", nextCode)).then().statusCode(401);
        String mfaToken2 = AuthFlows.login(email, PASSWORD).getString("mfaToken");
        secondFactor(mfaToken2, Map.of("code", nextCode)).then().statusCode(401);

        // A recovery code works once.
        secondFactor(mfaToken2, Map.of("recoveryCode", recoveryCodes.get(0).toUpperCase())).then().statusCode(200)
                .body("acr", equalTo("aal2"));
        String mfaToken3 = AuthFlows.login(email, PASSWORD).getString("mfaToken");
        secondFactor(mfaToken3, Map.of("recoveryCode", recoveryCodes.get(0))).then().statusCode(401);

        // Disabling needs aal2 and a fresh factor: an aal1-era token is refused, then a recovery code does it.
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("recoveryCode", recoveryCodes.get(1)))
                .delete("/api/v1/mfa/totp").then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/step-up-required"));
        given().auth().oauth2(aal2.getString("accessToken")).contentType(ContentType.JSON).body(Map.of("code", "12"))
                .delete("/api/v1/mfa/totp").then().statusCode(401);
        given().auth().oauth2(aal2.getString("accessToken")).contentType(ContentType.JSON).body(Map.of("recoveryCode", recoveryCodes.get(1)))
                .delete("/api/v1/mfa/totp").then().statusCode(204);
        assertThat(AuthFlows.login(email, PASSWORD).getBoolean("mfaRequired")).isFalse();
    }

    @Test
    void registrationDoesNotRevealWhetherAnAddressHasAnAccount() {
        String email = AuthFlows.newEmail();
        String fresh = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD))
                .post("/api/v1/accounts").then().statusCode(202).extract().asString();
        String again = given().contentType(ContentType.JSON).body(Map.of("email", " " + email.toUpperCase() + " ", "password", "another fine passphrase"))
                .post("/api/v1/accounts").then().statusCode(202).extract().asString();
        assertThat(again).isEqualTo(fresh);
        // The first registration stands; the normalised address is the same account.
        AuthFlows.login(email.toUpperCase(), PASSWORD);
    }

    @Test
    void weakOrMalformedInputIsRefusedWithTheFieldNamed() {
        given().contentType(ContentType.JSON).body(Map.of("email", AuthFlows.newEmail(), "password", "short"))
                .post("/api/v1/accounts").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("field", equalTo("password"));
        given().contentType(ContentType.JSON).body(Map.of("email", AuthFlows.newEmail(), "password", "qwertyuiop123"))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("password"))
                .body("detail", equalTo("password is too common; choose a password others are unlikely to use"));
        given().contentType(ContentType.JSON).body(Map.of("email", AuthFlows.newEmail(), "password", "abcdefghijklmnop"))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("password"));
        given().contentType(ContentType.JSON).body(Map.of("email", "not-an-address", "password", PASSWORD))
                .post("/api/v1/accounts").then().statusCode(400).body("field", equalTo("email"));
    }

    @Test
    void unknownAddressAndWrongPasswordFailAlike() {
        String email = AuthFlows.newEmail();
        AuthFlows.register(email, PASSWORD);
        String wrongPassword = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "not the password at all"))
                .post("/api/v1/login").then().statusCode(401).extract().jsonPath().getString("detail");
        String unknown = given().contentType(ContentType.JSON).body(Map.of("email", AuthFlows.newEmail(), "password", "not the password at all"))
                .post("/api/v1/login").then().statusCode(401).extract().jsonPath().getString("detail");
        assertThat(unknown).isEqualTo(wrongPassword);
    }

    @Test
    void discoveryAndKeySetPublishCurrentAndNextKeys() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo("http://localhost:48081"))
                .body("jwks_uri", equalTo("http://localhost:48081/oauth2/jwks"))
                .body("id_token_signing_alg_values_supported", hasItem("ES256"));
        // current and next (and previous once a rotation happened)
        given().get("/oauth2/jwks").then().statusCode(200).body("keys.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("keys.kty", hasItem("EC")).body("keys.alg", hasItem("ES256"))
                .body("keys[0].d", org.hamcrest.Matchers.nullValue());
    }

    static io.restassured.response.Response secondFactor(String mfaToken, Map<String, String> factor) {
        Map<String, String> body = new java.util.HashMap<>(factor);
        body.put("mfaToken", mfaToken);
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/login/mfa");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return new io.restassured.path.json.JsonPath(payload).getMap("$");
    }
}
