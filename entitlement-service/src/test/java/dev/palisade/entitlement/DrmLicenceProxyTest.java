package dev.palisade.entitlement;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The licence proxy against a DRM vendor played by WireMock: the challenge is forwarded byte for byte with an
 * entitlement message the vendor can verify with the shared communication key, the vendor's licence is relayed, and
 * nothing reaches the vendor for a viewer who may not watch.
 */
@QuarkusTest
class DrmLicenceProxyTest {

    static final String VENDOR_PATH = "/licence/widevine";
    static final byte[] COMMUNICATION_KEY = Base64.getDecoder().decode("c2VjcmV0LWNvbW11bmljYXRpb24ta2V5LWZvci10ZXN0cy0zMmI=");
    static WireMockServer vendor;

    final OidcTestIssuer issuer = TestInfrastructure.issuer();
    String operator;
    String account;

    @BeforeAll
    static void startVendor() {
        vendor = new WireMockServer(options().bindAddress("127.0.0.1").port(48093));
        vendor.start();
    }

    @AfterAll
    static void stopVendor() {
        vendor.stop();
    }

    @BeforeEach
    void setUp() {
        vendor.resetAll();
        operator = issuer.token("operator-1").groups("operator").aal2().sign();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", "Cinema", "number", 601, "origins", List.of("http://127.0.0.1:7001/cinema/")))
                .put("/api/v1/catalogue/channels/cinema").then().statusCode(200);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("name", "Premium", "channels", List.of("cinema")))
                .put("/api/v1/catalogue/packages/premium").then().statusCode(200);
        account = UUID.randomUUID().toString();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("packages", List.of("premium"), "maxStreams", 3, "overflowPolicy", "refuse"))
                .put("/api/v1/admin/entitlements/" + account).then().statusCode(200);
    }

    @Test
    void theChallengeGoesToTheVendorWithASignedEntitlementMessageAndTheLicenceComesBack() throws Exception {
        byte[] challenge = new byte[] { 0x08, 0x04, 0x12, 0x7f, 0x00, (byte) 0xff, 0x42 };
        byte[] licence = new byte[] { 0x08, 0x02, 0x12, 0x10, 0x01, 0x02, 0x03 };
        vendor.stubFor(post(urlEqualTo(VENDOR_PATH)).withHeader("X-AxDRM-Message", matching("[\\w-]+\\.[\\w-]+\\.[\\w-]+"))
                .withRequestBody(binaryEqualTo(challenge))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream").withBody(licence)));
        Map<String, String> session = start();

        byte[] answer = given().header("X-Playback-Token", session.get("playbackToken")).contentType("application/octet-stream")
                .body(challenge).post("/api/v1/licence/acme/cinema").then().statusCode(200).contentType("application/octet-stream")
                .header("Cache-Control", "no-store, private").extract().asByteArray();
        assertThat(answer).isEqualTo(licence);

        List<LoggedRequest> forwarded = vendor.findAll(postRequestedFor(urlEqualTo(VENDOR_PATH)));
        assertThat(forwarded).hasSize(1);
        JwtConsumer verify = new JwtConsumerBuilder().setVerificationKey(new HmacKey(COMMUNICATION_KEY)).setRequireExpirationTime()
                .setSkipDefaultAudienceValidation().build();
        JwtClaims message = verify.processToClaims(forwarded.get(0).getHeader("X-AxDRM-Message"));
        assertThat(message.getClaimValue("version", Long.class)).isEqualTo(1L);
        assertThat(message.getStringClaimValue("com_key_id")).isEqualTo("6a1c1b36-5e39-4d1e-9a8e-4f6f3c0f2b10");
        assertThat(message.getExpirationTime().getValue() - System.currentTimeMillis() / 1000).isBetween(1L, 61L);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) message.getClaimValue("message");
        assertThat(body).containsEntry("type", "entitlement_message");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> inline = (List<Map<String, Object>>) ((Map<String, Object>) body.get("content_keys_source")).get("inline");
        assertThat(inline).hasSize(2); // the current key period and the next, so rotation does not stop playback
        String service = issuer.token("stream-gateway").groups("service").sign();
        String currentKid = given().auth().oauth2(service).get("/api/v1/internal/channels/cinema/keys/" + (System.currentTimeMillis() / 1000 / 3600))
                .then().statusCode(200).extract().jsonPath().getString("kid");
        assertThat(inline.get(0)).containsEntry("id", currentKid);
        @SuppressWarnings("unchecked")
        Map<String, Object> who = (Map<String, Object>) body.get("session");
        assertThat(who).containsEntry("account_id", account).containsEntry("playback_session_id", session.get("sessionId"))
                .containsEntry("channel_id", "cinema");
        // A message altered in transit does not verify at the vendor.
        String header = forwarded.get(0).getHeader("X-AxDRM-Message");
        String[] parts = header.split("\\.");
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                message.toJson().replace(account, UUID.randomUUID().toString()).getBytes()) + "." + parts[2];
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verify.processToClaims(altered))
                .isInstanceOf(org.jose4j.jwt.consumer.InvalidJwtException.class);
    }

    @Test
    void nothingReachesTheVendorWithoutAValidTokenOfARunningSession() {
        Map<String, String> session = start();
        given().contentType("application/octet-stream").body(new byte[] { 1, 2, 3 }).post("/api/v1/licence/acme/cinema").then().statusCode(401);
        given().header("X-Playback-Token", session.get("playbackToken") + "x").contentType("application/octet-stream").body(new byte[] { 1 })
                .post("/api/v1/licence/acme/cinema").then().statusCode(401);
        given().auth().oauth2(issuer.token(account).sign()).delete("/api/v1/playback/sessions/" + session.get("sessionId")).then().statusCode(204);
        given().header("X-Playback-Token", session.get("playbackToken")).contentType("application/octet-stream").body(new byte[] { 1 })
                .post("/api/v1/licence/acme/cinema").then().statusCode(403);
        given().header("X-Playback-Token", session.get("playbackToken")).contentType("application/octet-stream").body(new byte[] { 1 })
                .post("/api/v1/licence/nobody/cinema").then().statusCode(404);
        vendor.verify(exactly(0), postRequestedFor(urlEqualTo(VENDOR_PATH)));
    }

    @Test
    void aVendorFailureIsABadGatewayAndASlowVendorAGatewayTimeout() {
        Map<String, String> session = start();
        vendor.stubFor(post(urlEqualTo(VENDOR_PATH)).willReturn(aResponse().withStatus(500)));
        given().header("X-Playback-Token", session.get("playbackToken")).contentType("application/octet-stream").body(new byte[] { 9 })
                .post("/api/v1/licence/acme/cinema").then().statusCode(502).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("https://palisade.dev/problems/drm-vendor-unavailable"));
        vendor.stubFor(post(urlEqualTo(VENDOR_PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().header("X-Playback-Token", session.get("playbackToken")).contentType("application/octet-stream").body(new byte[] { 9 })
                .post("/api/v1/licence/acme/cinema").then().statusCode(502);
        vendor.stubFor(post(urlEqualTo(VENDOR_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(2500).withBody(new byte[] { 1 })));
        given().header("X-Playback-Token", session.get("playbackToken")).contentType("application/octet-stream").body(new byte[] { 9 })
                .post("/api/v1/licence/acme/cinema").then().statusCode(504);
        // The vendor's own refusal of a challenge is relayed to the CDM as it is.
        vendor.stubFor(post(urlEqualTo(VENDOR_PATH)).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/plain")
                .withBody("invalid challenge")));
        given().header("X-Playback-Token", session.get("playbackToken")).contentType("application/octet-stream").body(new byte[] { 9 })
                .post("/api/v1/licence/acme/cinema").then().statusCode(400).body(org.hamcrest.Matchers.equalTo("invalid challenge"));
        vendor.verify(postRequestedFor(urlEqualTo(VENDOR_PATH)).withHeader("Content-Type", matching("application/octet-stream.*")));
    }

    private Map<String, String> start() {
        var json = given().auth().oauth2(issuer.token(account).sign()).contentType(ContentType.JSON)
                .body(Map.of("channelId", "cinema", "deviceId", "tv")).post("/api/v1/playback/sessions")
                .then().statusCode(201).extract().jsonPath();
        return Map.of("sessionId", json.getString("sessionId"), "playbackToken", json.getString("playbackToken"));
    }
}
