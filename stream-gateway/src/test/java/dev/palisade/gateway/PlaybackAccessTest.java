package dev.palisade.gateway;

import static dev.palisade.gateway.GatewayTestSupport.PATTERN;
import static dev.palisade.gateway.GatewayTestSupport.getRaw;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.palisade.gateway.GatewayTestSupport.TestChannel;
import dev.palisade.gateway.security.SegmentUrlSigner;
import dev.palisade.gateway.support.FakeEntitlement;
import dev.palisade.gateway.support.GatewayPlaylist;
import dev.palisade.gateway.support.GatewayStubs;
import dev.palisade.gateway.support.PlaybackTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A player's way in: playback tokens verified offline against the published key set (missing, forged, expired, wrong
 * type, other issuer, other channel, other network refused as problem documents), playlists rewritten for the session,
 * segments AES-128 encrypted with the period key whose URI points at entitlement-service, A or B per the session's
 * pattern, and segment URLs that cannot be altered or reused by another session.
 */
@QuarkusTest
@QuarkusTestResource(GatewayStubs.class)
class PlaybackAccessTest {

    static TestChannel channel;

    @Inject
    SegmentUrlSigner signer;

    @BeforeAll
    static void origins() {
        channel = GatewayTestSupport.channel("access");
    }

    @AfterAll
    static void close() {
        channel.close();
    }

    private static String master(String channelId) {
        return "/live/" + channelId + "/index.m3u8";
    }

    @Test
    void noTokenIsAskedFor() {
        given().get(master(channel.id())).then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://palisade.dev/problems/playback-token-missing"))
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void forgedExpiredMistypedAndForeignTokensAreRefused() {
        given().queryParam("token", PlaybackTokens.session(channel.id()).forged().sign()).get(master(channel.id())).then()
                .statusCode(401).body("type", equalTo("https://palisade.dev/problems/playback-token-invalid"));
        given().queryParam("token", PlaybackTokens.session(channel.id()).issuedAgo(Duration.ofMinutes(10), Duration.ofMinutes(2)).sign())
                .get(master(channel.id())).then().statusCode(401)
                .body("type", equalTo("https://palisade.dev/problems/playback-token-expired"));
        given().queryParam("token", PlaybackTokens.session(channel.id()).type("JWT").sign()).get(master(channel.id())).then()
                .statusCode(401);
        given().queryParam("token", PlaybackTokens.session(channel.id()).issuer("http://elsewhere.invalid").sign())
                .get(master(channel.id())).then().statusCode(401);
        given().queryParam("token", PlaybackTokens.session(channel.id()).lifetime(Duration.ofHours(1)).sign())
                .get(master(channel.id())).then().statusCode(401);
        given().queryParam("token", "not-a-token").get(master(channel.id())).then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void tokenForAnotherChannelIsForbidden() {
        given().queryParam("token", PlaybackTokens.session("some-other-channel").sign()).get(master(channel.id())).then()
                .statusCode(403).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://palisade.dev/problems/channel-not-in-token"));
        String token = PlaybackTokens.session("some-other-channel").sign();
        getRaw(GatewayTestSupport.mediaPath(channel.id(), "360p") + "?token=" + token).then().statusCode(403);
    }

    @Test
    void tokenBoundToAnotherNetworkIsForbidden() {
        given().queryParam("token", PlaybackTokens.session(channel.id()).network("10.20.30.0/24").sign()).get(master(channel.id()))
                .then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/network-mismatch"));
        given().queryParam("token", PlaybackTokens.session(channel.id()).network("127.0.0.0/24").sign()).get(master(channel.id()))
                .then().statusCode(200);
    }

    @Test
    void masterPlaylistPointsAtGatewayRenditionsCarryingTheToken() {
        String token = PlaybackTokens.session(channel.id()).sign();
        String body = given().queryParam("token", token).get(master(channel.id())).then().statusCode(200)
                .contentType(startsWith("application/vnd.apple.mpegurl")).header("Cache-Control", "no-store")
                .body(containsString("#EXT-X-STREAM-INF:BANDWIDTH=800000")).extract().asString();
        assertThat(body).contains("360p/index.m3u8?token=" + token).contains("720p/index.m3u8?token=" + token)
                .doesNotContain("127.0.0.1");
        // The token may come as a bearer token too.
        given().auth().oauth2(token).get(master(channel.id())).then().statusCode(200);
    }

    @Test
    void mediaPlaylistHasPerSegmentKeysAndSegmentsDecryptToTheSessionsVariant() {
        PlaybackTokens.Builder session = PlaybackTokens.session(channel.id());
        String token = session.sign();
        List<GatewayPlaylist.Entry> entries = GatewayTestSupport.media(channel.id(), "360p", token);
        assertThat(entries).hasSize(5);
        for (GatewayPlaylist.Entry entry : entries) {
            assertThat(entry.keyUri()).startsWith(FakeEntitlement.get().url() + "/api/v1/keys/hls/" + channel.id() + "/")
                    .endsWith("?token=" + token);
            assertThat(new BigInteger(1, entry.iv()).longValueExact()).isEqualTo(entry.sequence());
            String variant = PATTERN.variant(session.watermarkId, entry.sequence());
            assertThat(GatewayTestSupport.clearSegment(entry)).isEqualTo(channel.primary().segment("360p", variant, entry.sequence()));
        }
        // Different sessions get different patterns over enough segments.
        long differing = java.util.stream.LongStream.range(0, 64)
                .filter(n -> PATTERN.bit(session.watermarkId, n) != PATTERN.bit(session.watermarkId + 1, n)).count();
        assertThat(differing).isBetween(10L, 54L);
    }

    @Test
    void alteredOrBorrowedSegmentUrlsAreRefused() {
        String token = PlaybackTokens.session(channel.id()).sign();
        GatewayPlaylist.Entry entry = GatewayTestSupport.media(channel.id(), "360p", token).get(0);
        GatewayTestSupport.segment(entry);
        String url = entry.url();

        // Another sequence number with this signature.
        String otherSequence = url.replace("/" + entry.sequence() + ".ts", "/" + (entry.sequence() + 1) + ".ts");
        getRaw(otherSequence).then().statusCode(403).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://palisade.dev/problems/segment-url-invalid"));
        // Another session's grant with this signature (hot-linking with a borrowed grant).
        String otherToken = PlaybackTokens.session(channel.id()).sign();
        GatewayPlaylist.Entry other = GatewayTestSupport.media(channel.id(), "360p", otherToken).get(0);
        getRaw(url.replaceAll("&a=[^&]+", "&a=" + param(other.url(), "a"))).then().statusCode(403);
        // Another key period, another origin object, no signature, a garbled signature.
        getRaw(url.replaceAll("&k=[0-9]+", "&k=1")).then().statusCode(403);
        getRaw(url.replaceAll("o=[^&]+", "o=seg-1.ts")).then().statusCode(403);
        getRaw(url.replaceAll("&s=[^&]+", "")).then().statusCode(403);
        getRaw(url.replaceAll("&s=[^&]+", "&s=AAAAAAAAAAAAAAAAAAAAAA")).then().statusCode(403);
    }

    @Test
    void segmentUrlStopsWorkingWhenItExpires() {
        String token = PlaybackTokens.session(channel.id()).sign();
        GatewayPlaylist.Entry entry = GatewayTestSupport.media(channel.id(), "360p", token).get(0);
        String path = entry.url().substring(0, entry.url().indexOf('?'));
        String object = param(entry.url(), "o");
        long period = Long.parseLong(param(entry.url(), "k"));
        String grant = signer.grant(new SegmentUrlSigner.Grant("s-1", "acct-1", 7, System.currentTimeMillis() / 1000 - 120, null));
        String url = path + "?o=" + object + "&k=" + period + "&a=" + grant + "&s=" + signer.sign(path, object, period, grant);
        getRaw(url).then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/segment-url-expired"));
    }

    @Test
    void anOriginWithoutVariantBServesA() {
        try (TestChannel plain = GatewayTestSupport.channel("plain")) {
            plain.primary().withoutVariantB();
            plain.backup().withoutVariantB();
            String token = PlaybackTokens.session(plain.id()).sign();
            for (GatewayPlaylist.Entry entry : GatewayTestSupport.media(plain.id(), "720p", token)) {
                assertThat(GatewayTestSupport.clearSegment(entry)).isEqualTo(plain.primary().segment("720p", "A", entry.sequence()));
            }
        }
    }

    @Test
    void rotatedPlaybackKeyIsPickedUpFromTheKeySet() {
        PlaybackTokens.rotate();
        String token = PlaybackTokens.session(channel.id()).sign();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().queryParam("token", token).get(master(channel.id())).then().statusCode(200));
    }

    @Test
    void unknownChannelOrRenditionIsNotFound() {
        given().queryParam("token", PlaybackTokens.session("no-such-channel").sign()).get(master("no-such-channel")).then()
                .statusCode(404).contentType(startsWith("application/problem+json"));
        getRaw(GatewayTestSupport.mediaPath(channel.id(), "1080p") + "?token=" + PlaybackTokens.session(channel.id()).sign())
                .then().statusCode(404);
    }

    static String param(String url, String name) {
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }
}
