package dev.palisade.entitlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Playback tokens verify offline against the published key set, as stream-gateway will, and say exactly what they open. */
@QuarkusTest
class PlaybackTokenTest {

    final OidcTestIssuer issuer = TestInfrastructure.issuer();

    @Test
    void aSessionComesWithAShortLivedTokenScopedToItsChannelAndRenewedByHeartbeats() throws Exception {
        String operator = issuer.token("operator-1").groups("operator").aal2().sign();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", "Movies 1", "number", 301, "origins", List.of("http://127.0.0.1:7001/movies-1")))
                .put("/api/v1/catalogue/channels/movies-1").then().statusCode(200);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("name", "Movies", "channels", List.of("movies-1")))
                .put("/api/v1/catalogue/packages/movies").then().statusCode(200);
        String account = UUID.randomUUID().toString();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("packages", List.of("movies"), "maxStreams", 1, "overflowPolicy", "refuse"))
                .put("/api/v1/admin/entitlements/" + account).then().statusCode(200);

        JsonPath session = given().auth().oauth2(issuer.token(account).sign()).contentType(ContentType.JSON)
                .body(Map.of("channelId", "movies-1", "deviceId", "phone")).post("/api/v1/playback/sessions")
                .then().statusCode(201).extract().jsonPath();
        String token = session.getString("playbackToken");
        assertThat(session.getString("playbackUrl")).isEqualTo("http://127.0.0.1:8084/live/movies-1/index.m3u8?token=" + token);

        JwtConsumer verifier = verifier();
        JwtClaims claims = verifier.processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo(account);
        assertThat(claims.getClaimValueAsString("sid")).isEqualTo(session.getString("sessionId"));
        assertThat(claims.getClaimValueAsString("ch")).isEqualTo("movies-1");
        assertThat(claims.getClaimValueAsString("path")).isEqualTo("/live/movies-1/");
        assertThat(claims.getClaimValue("wm", Long.class)).isNotNull().isPositive();
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isBetween(1L, 120L);

        String renewed = given().auth().oauth2(issuer.token(account).sign())
                .post("/api/v1/playback/sessions/" + session.getString("sessionId") + "/heartbeat")
                .then().statusCode(200).extract().jsonPath().getString("playbackToken");
        assertThat(verifier.processToClaims(renewed).getClaimValueAsString("sid")).isEqualTo(session.getString("sessionId"));

        // Altered claims break the signature.
        String[] parts = token.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.toJson().replace("movies-1", "movies-2").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verifier.processToClaims(parts[0] + "." + forgedPayload + "." + parts[2]))
                .isInstanceOf(InvalidJwtException.class);
    }

    private static JwtConsumer verifier() throws Exception {
        String jwks = given().get("/api/v1/playback/jwks").then().statusCode(200).extract().asString();
        return new JwtConsumerBuilder().setExpectedIssuer("http://127.0.0.1:8083").setRequireExpirationTime()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys())).build();
    }
}
