package dev.palisade.entitlement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.inject.Inject;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.palisade.entitlement.domain.Cpix;
import dev.palisade.entitlement.security.PlaybackKeyRing;
import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.ReactiveTransactions;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Content keys end to end under real PostgreSQL: made once per channel and period, wrapped at rest, delivered only
 * against a valid playback token of a running session for that channel, and the delivered key decrypts what the
 * gateway encrypted with the key it got for that period.
 */
@QuarkusTest
class ContentKeyTest {

    final OidcTestIssuer issuer = TestInfrastructure.issuer();
    String operator;
    String account;

    @Inject
    PlaybackKeyRing signingKeys;

    @BeforeEach
    void catalogueAndViewer() {
        operator = issuer.token("operator-1").groups("operator").aal2().sign();
        for (String ch : List.of("sport-1", "sport-2")) {
            given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("name", ch, "number", ch.equals("sport-1") ? 501 : 502, "origins", List.of("http://127.0.0.1:7001/" + ch + "/"),
                            "keyRotationSeconds", 600))
                    .put("/api/v1/catalogue/channels/" + ch).then().statusCode(200);
        }
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("name", "Sport", "channels", List.of("sport-1", "sport-2")))
                .put("/api/v1/catalogue/packages/sport").then().statusCode(200);
        account = UUID.randomUUID().toString();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("packages", List.of("sport"), "maxStreams", 2, "overflowPolicy", "refuse"))
                .put("/api/v1/admin/entitlements/" + account).then().statusCode(200);
    }

    @Test
    void theHlsKeyAnEntitledViewerGetsDecryptsWhatTheGatewayEncrypted() throws Exception {
        JsonPath session = start("sport-1");
        String token = session.getString("playbackToken");

        // stream-gateway (a service client) gets the key of the current period and encrypts a segment with it.
        String service = issuer.token("stream-gateway").groups("service").sign();
        JsonPath channel = given().auth().oauth2(service).get("/api/v1/internal/channels/sport-1").then().statusCode(200).extract().jsonPath();
        assertThat(channel.getList("origins")).containsExactly("http://127.0.0.1:7001/sport-1/");
        assertThat(channel.getInt("keyRotationSeconds")).isEqualTo(600);
        long period = System.currentTimeMillis() / 1000 / 600;
        JsonPath periodKey = given().auth().oauth2(service).get("/api/v1/internal/channels/sport-1/keys/" + period)
                .then().statusCode(200).header("Cache-Control", "no-store, private").extract().jsonPath();
        assertThat(periodKey.getLong("period")).isEqualTo(period);
        // Asking again (another gateway replica) gives the same key.
        assertThat(given().auth().oauth2(service).get("/api/v1/internal/channels/sport-1/keys/" + period).then().statusCode(200)
                .extract().jsonPath().getString("kid")).isEqualTo(periodKey.getString("kid"));
        byte[] segment = new byte[188 * 50];
        new SecureRandom().nextBytes(segment);
        byte[] iv = new byte[16];
        iv[15] = 42;
        Cipher enc = Cipher.getInstance("AES/CBC/PKCS5Padding");
        enc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(periodKey.getString("key")), "AES"), new IvParameterSpec(iv));
        byte[] encrypted = enc.doFinal(segment);
        String keyUri = periodKey.getString("hlsKeyUri");
        assertThat(keyUri).isEqualTo("http://127.0.0.1:8083/api/v1/keys/hls/sport-1/" + periodKey.getString("kid"));

        // The player follows the EXT-X-KEY URI with its token and decrypts the segment.
        byte[] key = given().queryParam("token", token).get(hlsPath("sport-1", periodKey.getString("kid")))
                .then().statusCode(200).contentType("application/octet-stream").header("Cache-Control", "no-store, private")
                .extract().asByteArray();
        assertThat(key).hasSize(16);
        Cipher dec = Cipher.getInstance("AES/CBC/PKCS5Padding");
        dec.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        assertThat(dec.doFinal(encrypted)).isEqualTo(segment);
        // The header form works too (EME apps).
        given().header("X-Playback-Token", token).get(hlsPath("sport-1", periodKey.getString("kid"))).then().statusCode(200);

        // Viewers and unauthenticated callers get no channel settings or period keys.
        given().auth().oauth2(issuer.token(account).sign()).get("/api/v1/internal/channels/sport-1/keys/" + period).then().statusCode(403);
        given().get("/api/v1/internal/channels/sport-1").then().statusCode(401);
        // Far-away periods are not handed out even to the gateway.
        given().auth().oauth2(service).get("/api/v1/internal/channels/sport-1/keys/" + (period + 10)).then().statusCode(400);
    }

    @Test
    void keyRequestsAreRefusedForAnotherChannelAnExpiredOrForgedTokenOrAnEndedSession() throws Exception {
        JsonPath session = start("sport-1");
        String token = session.getString("playbackToken");
        String kid = currentKid("sport-1");
        String otherKid = currentKid("sport-2");

        given().get(hlsPath("sport-1", kid)).then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://palisade.dev/problems/playback-token-required"));
        // A token for sport-1 opens no key of sport-2, even with sport-2's key id.
        given().queryParam("token", token).get(hlsPath("sport-2", otherKid)).then().statusCode(403)
                .body("type", equalTo("https://palisade.dev/problems/playback-token-wrong-channel"));
        // A key id of another channel under this channel's path is unknown.
        given().queryParam("token", token).get(hlsPath("sport-1", otherKid)).then().statusCode(404)
                .body("type", equalTo("https://palisade.dev/problems/unknown-content-key"));

        JwtClaims claims = claims(session, -300, -60);
        given().queryParam("token", sign(claims, signingKeys.active().kid(), signingKeys.active().privateKey())).get(hlsPath("sport-1", kid))
                .then().statusCode(401).body("type", equalTo("https://palisade.dev/problems/playback-token-invalid"))
                .body("detail", org.hamcrest.Matchers.containsString("expired"));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String forged = sign(claims(session, 0, 60), signingKeys.active().kid(), generator.generateKeyPair().getPrivate());
        given().queryParam("token", forged).get(hlsPath("sport-1", kid)).then().statusCode(401)
                .body("type", equalTo("https://palisade.dev/problems/playback-token-invalid"))
                .body("detail", org.hamcrest.Matchers.containsString("signature"));

        // A well-signed, unexpired token of a session that was stopped opens nothing.
        given().queryParam("token", token).get(hlsPath("sport-1", kid)).then().statusCode(200);
        given().auth().oauth2(issuer.token(account).sign()).delete("/api/v1/playback/sessions/" + session.getString("sessionId"))
                .then().statusCode(204);
        given().queryParam("token", token).get(hlsPath("sport-1", kid)).then().statusCode(403)
                .body("type", equalTo("https://palisade.dev/problems/session-revoked")).body("reason", equalTo("stopped"));
    }

    @Test
    void clearKeyLicenceAnswersTheRequestedKeysAsAJwkSet() {
        String token = start("sport-2").getString("playbackToken");
        String kid = currentKid("sport-2");
        String kidB64 = Base64.getUrlEncoder().withoutPadding().encodeToString(uuidBytes(UUID.fromString(kid)));
        JsonPath licence = given().queryParam("token", token).contentType(ContentType.JSON)
                .body(Map.of("kids", List.of(kidB64, Base64.getUrlEncoder().withoutPadding().encodeToString(uuidBytes(UUID.randomUUID()))),
                        "type", "temporary"))
                .post("/api/v1/keys/clearkey/sport-2").then().statusCode(200).header("Cache-Control", "no-store, private")
                .extract().jsonPath();
        assertThat(licence.getString("type")).isEqualTo("temporary");
        assertThat(licence.getList("keys")).hasSize(1);
        assertThat(licence.getString("keys[0].kty")).isEqualTo("oct");
        assertThat(licence.getString("keys[0].kid")).isEqualTo(kidB64);
        byte[] viaClearKey = Base64.getUrlDecoder().decode(licence.getString("keys[0].k"));
        byte[] viaHls = given().queryParam("token", token).get(hlsPath("sport-2", kid)).then().statusCode(200).extract().asByteArray();
        assertThat(viaClearKey).isEqualTo(viaHls);

        given().queryParam("token", token).contentType(ContentType.JSON).body(Map.of("kids", List.of("not-a-kid!"), "type", "temporary"))
                .post("/api/v1/keys/clearkey/sport-2").then().statusCode(400);
        given().queryParam("token", token).contentType(ContentType.JSON).body(Map.of("kids", List.of(kidB64), "type", "persistent-license"))
                .post("/api/v1/keys/clearkey/sport-2").then().statusCode(400);
    }

    @Test
    void cpixExportIsForOperatorsAndCarriesEachKeyBoundToItsPeriod() throws Exception {
        given().auth().oauth2(issuer.token(account).sign()).get("/api/v1/keys/cpix/sport-1").then().statusCode(403);
        given().get("/api/v1/keys/cpix/sport-1").then().statusCode(401);
        given().auth().oauth2(operator).queryParam("periods", 1000).get("/api/v1/keys/cpix/sport-1").then().statusCode(400);

        String xml = given().auth().oauth2(operator).queryParam("from", "2026-11-24T10:05:00Z").queryParam("periods", 3)
                .get("/api/v1/keys/cpix/sport-1").then().statusCode(200).contentType("application/xml")
                .header("Cache-Control", "no-store, private").extract().asString();
        Document doc = parse(xml);
        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("CPIX");
        assertThat(root.getNamespaceURI()).isEqualTo(Cpix.NS);
        assertThat(root.getAttribute("contentId")).isEqualTo("sport-1");
        NodeList keys = doc.getElementsByTagNameNS(Cpix.NS, "ContentKey");
        NodeList periods = doc.getElementsByTagNameNS(Cpix.NS, "ContentKeyPeriod");
        NodeList rules = doc.getElementsByTagNameNS(Cpix.NS, "ContentKeyUsageRule");
        assertThat(keys.getLength()).isEqualTo(3);
        assertThat(periods.getLength()).isEqualTo(3);
        assertThat(rules.getLength()).isEqualTo(3);
        long first = java.time.Instant.parse("2026-11-24T10:05:00Z").getEpochSecond() / 600;
        List<String> kids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Element period = (Element) periods.item(i);
            assertThat(period.getAttribute("index")).isEqualTo(Long.toString(first + i));
            Element key = (Element) keys.item(i);
            kids.add(key.getAttribute("kid"));
            String value = key.getElementsByTagNameNS(Cpix.PSKC, "PlainValue").item(0).getTextContent();
            assertThat(Base64.getDecoder().decode(value)).hasSize(16);
            Element rule = (Element) rules.item(i);
            assertThat(rule.getAttribute("kid")).isEqualTo(key.getAttribute("kid"));
            assertThat(((Element) rule.getElementsByTagNameNS(Cpix.NS, "KeyPeriodFilter").item(0)).getAttribute("periodId"))
                    .isEqualTo(period.getAttribute("id"));
        }
        assertThat(kids).doesNotHaveDuplicates();
        // Exporting again gives the same keys: they are made once per period.
        String again = given().auth().oauth2(operator).queryParam("from", "2026-11-24T10:05:00Z").queryParam("periods", 3)
                .get("/api/v1/keys/cpix/sport-1").then().statusCode(200).extract().asString();
        assertThat(again).isEqualTo(xml);
    }

    @Test
    void keysWrappedUnderAnOldKekAreRewrappedWithoutChangingThem() throws Exception {
        // A key as an earlier deployment stored it: wrapped under KEK test-0.
        byte[] clear = new byte[16];
        new SecureRandom().nextBytes(clear);
        UUID kid = UUID.randomUUID();
        byte[] wrapped = sealUnderTest0(clear);
        long period = 1234;
        ReactiveTransactions.inTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                INSERT INTO content_key (channel_id, period, kid, kek_id, wrapped_key, not_before, not_after, created_at)
                VALUES ('sport-1', ?1, ?2, 'test-0', ?3, now(), now() + interval '10 minutes', now())
                ON CONFLICT DO NOTHING""").setParameter(1, period).setParameter(2, kid).setParameter(3, wrapped).executeUpdate()));

        JsonPath result = given().auth().oauth2(operator).post("/api/v1/ops/content-keys/rewrap").then().statusCode(200).extract().jsonPath();
        assertThat(result.getLong("rewrapped")).isGreaterThanOrEqualTo(1);
        assertThat(result.getString("status.activeKekId")).isEqualTo("test-1");
        assertThat(result.getMap("status.keysByKek")).doesNotContainKey("test-0");

        Object[] row = ReactiveTransactions.inSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "SELECT kek_id, wrapped_key FROM content_key WHERE kid = ?1", Object[].class).setParameter(1, kid).getSingleResult()));
        assertThat(row[0]).isEqualTo("test-1");
        assertThat((byte[]) row[1]).isNotEqualTo(wrapped);
        // Same key after re-wrapping: the CPIX export of that period still carries it.
        String xml = given().auth().oauth2(operator).queryParam("from", java.time.Instant.ofEpochSecond(period * 600).toString())
                .queryParam("periods", 1).get("/api/v1/keys/cpix/sport-1").then().statusCode(200).extract().asString();
        assertThat(xml).contains("kid=\"" + kid + "\"").contains(Base64.getEncoder().encodeToString(clear));
    }

    private JsonPath start(String channel) {
        return given().auth().oauth2(issuer.token(account).sign()).contentType(ContentType.JSON)
                .body(Map.of("channelId", channel, "deviceId", "tv")).post("/api/v1/playback/sessions")
                .then().statusCode(201).extract().jsonPath();
    }

    private String currentKid(String channel) {
        String service = issuer.token("stream-gateway").groups("service").sign();
        return given().auth().oauth2(service).get("/api/v1/internal/channels/" + channel + "/keys/" + (System.currentTimeMillis() / 1000 / 600))
                .then().statusCode(200).extract().jsonPath().getString("kid");
    }

    private static String hlsPath(String channel, String kid) {
        return "/api/v1/keys/hls/" + channel + "/" + kid;
    }

    private JwtClaims claims(JsonPath session, int issuedOffset, int expiresOffset) {
        long now = System.currentTimeMillis() / 1000;
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://127.0.0.1:8083");
        claims.setSubject(account);
        claims.setClaim("sid", session.getString("sessionId"));
        claims.setClaim("ch", session.getString("channelId"));
        claims.setClaim("path", "/live/" + session.getString("channelId") + "/");
        claims.setClaim("wm", 7L);
        claims.setIssuedAt(NumericDate.fromSeconds(now + issuedOffset));
        claims.setExpirationTime(NumericDate.fromSeconds(now + expiresOffset));
        return claims;
    }

    private static String sign(JwtClaims claims, String kid, java.security.PrivateKey key) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", "pb+jwt");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    /** The at-rest layout (12-byte nonce, AES-256-GCM with the KEK id as associated data) under the old test KEK. */
    private static byte[] sealUnderTest0(byte[] clear) throws Exception {
        byte[] kek = Base64.getDecoder().decode("ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=");
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD("test-0".getBytes(StandardCharsets.UTF_8));
        byte[] sealed = gcm.doFinal(clear);
        return java.nio.ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
    }

    private static byte[] uuidBytes(UUID id) {
        return java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
