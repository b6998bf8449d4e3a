package dev.palisade.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palisade.gateway.GatewayTestSupport.TestChannel;
import dev.palisade.gateway.support.GatewayPlaylist;
import dev.palisade.gateway.support.GatewayStubs;
import dev.palisade.gateway.support.PlaybackTokens;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * An operator uploads segments captured (decrypted) from a pirate restream; the gateway recognises each as variant A or
 * B of the origin's segment and names the session that was watching, among the sessions it has seen on the channel.
 */
@QuarkusTest
@QuarkusTestResource(GatewayStubs.class)
class WatermarkDetectEndpointTest {

    @Test
    void capturedSegmentsNameThePirateSession() {
        try (TestChannel channel = GatewayTestSupport.channel("wm")) {
            PlaybackTokens.Builder pirate = PlaybackTokens.session(channel.id());
            List<GatewayPlaylist.Entry> entries = GatewayTestSupport.media(channel.id(), "360p", pirate.sign());
            // Honest viewers whose patterns differ from the pirate's on at least three of the captured segments.
            List<PlaybackTokens.Builder> viewers = new ArrayList<>();
            while (viewers.size() < 5) {
                PlaybackTokens.Builder viewer = PlaybackTokens.session(channel.id());
                long differing = entries.stream().filter(e -> GatewayTestSupport.PATTERN.bit(viewer.watermarkId, e.sequence())
                        != GatewayTestSupport.PATTERN.bit(pirate.watermarkId, e.sequence())).count();
                if (differing >= 3) {
                    viewers.add(viewer);
                    given().queryParam("token", viewer.sign()).get("/live/" + channel.id() + "/index.m3u8").then().statusCode(200);
                }
            }
            List<Map<String, Object>> captured = new ArrayList<>();
            for (GatewayPlaylist.Entry e : entries) {
                captured.add(Map.of("sequence", e.sequence(), "data",
                        Base64.getEncoder().encodeToString(GatewayTestSupport.clearSegment(e))));
            }
            String operator = TestInfrastructure.issuer().token("op-1").groups("operator").aal2().sign();
            given().auth().oauth2(operator).contentType(ContentType.JSON)
                    .body(Map.of("channelId", channel.id(), "rendition", "360p", "segments", captured))
                    .post("/api/v1/watermark/detect").then().statusCode(200)
                    .body("session.sessionId", equalTo(pirate.sessionId))
                    .body("session.accountId", equalTo(pirate.accountId))
                    .body("session.matches", equalTo(5))
                    .body("observations", equalTo(5))
                    .body("candidates", equalTo(6))
                    .body("confidence", greaterThan(0.99f));

            given().auth().oauth2(TestInfrastructure.issuer().token("acct-1").sign()).contentType(ContentType.JSON)
                    .body(Map.of("channelId", channel.id(), "segments", List.of())).post("/api/v1/watermark/detect").then()
                    .statusCode(403);
            assertThat(entries).hasSize(5);
        }
    }
}
