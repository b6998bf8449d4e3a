package dev.palisade.entitlement;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.palisade.entitlement.domain.Xmltv;
import dev.palisade.testsupport.OidcTestIssuer;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** XMLTV in and out, now/next, and m3u_plus playlists whose URLs carry a revocable playlist link, never a password. */
@QuarkusTest
class EpgAndPlaylistTest {

    final OidcTestIssuer issuer = TestInfrastructure.issuer();
    String operator;
    String account;
    Instant hour;

    @BeforeEach
    void catalogue() {
        operator = issuer.token("operator-1").groups("operator").aal2().sign();
        channel("kids-1", 701, "kids1.example", "Kids");
        channel("docs-1", 702, "docs1.example", "Documentary");
        channel("adult-1", 703, "adult1.example", "Late");
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("name", "Family", "channels", List.of("kids-1", "docs-1")))
                .put("/api/v1/catalogue/packages/family").then().statusCode(200);
        account = UUID.randomUUID().toString();
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("packages", List.of("family"), "maxStreams", 1, "overflowPolicy", "refuse"))
                .put("/api/v1/admin/entitlements/" + account).then().statusCode(200);
        hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    }

    @Test
    void anImportedGuideGivesNowAndNextAndIsExportedAgain() {
        JsonPath result = upload(guide("Cartoons", "Nature")).then().statusCode(200).extract().jsonPath();
        assertThat(result.getInt("programmes")).isEqualTo(6);
        assertThat(result.getInt("inferredStops")).isEqualTo(1);
        assertThat(result.getList("unmappedEpgIds")).containsExactly("unknown.example");

        // Viewers see their lineup only; operators every channel.
        JsonPath mine = given().auth().oauth2(issuer.token(account).sign()).get("/api/v1/epg/now-next").then().statusCode(200).extract().jsonPath();
        assertThat(mine.getList("channelId")).containsExactly("kids-1", "docs-1");
        assertThat(mine.getString("[0].now.title")).isEqualTo("Cartoons");
        assertThat(mine.getString("[0].next.title")).isEqualTo("Cartoons later");
        assertThat(mine.getString("[1].now.title")).isEqualTo("Nature");
        assertThat(Instant.parse(mine.getString("[1].next.stop"))).isEqualTo(hour.plus(3, ChronoUnit.HOURS)); // inferred from the next start
        JsonPath all = given().auth().oauth2(operator).get("/api/v1/epg/now-next").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("channelId")).contains("adult-1");
        given().auth().oauth2(issuer.token(account).sign()).queryParam("channel", "adult-1").get("/api/v1/epg/now-next").then().statusCode(404);

        // Importing again replaces the programmes of that span rather than adding to them.
        upload(guide("Cartoons (new)", "Nature")).then().statusCode(200);
        JsonPath again = given().auth().oauth2(issuer.token(account).sign()).queryParam("channel", "kids-1").get("/api/v1/epg/now-next")
                .then().statusCode(200).extract().jsonPath();
        assertThat(again.getString("[0].now.title")).isEqualTo("Cartoons (new)");

        String xml = given().auth().oauth2(issuer.token(account).sign()).get("/api/v1/epg/xmltv").then().statusCode(200)
                .contentType(containsString("application/xml")).extract().asString();
        Xmltv.Guide exported = Xmltv.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), 1000);
        assertThat(exported.channels()).containsOnlyKeys("kids1.example", "docs1.example");
        assertThat(exported.programmes()).hasSize(5);
        assertThat(exported.programmes()).extracting(Xmltv.Programme::title).containsOnlyOnce("Cartoons (new)").doesNotContain("Cartoons", "Late film");
    }

    @Test
    void aMalformedGuideIsRefusedWithItsLineAndChangesNothing() {
        upload(guide("Cartoons", "Nature")).then().statusCode(200);
        String broken = guide("Replaced?", "Nature").replace("<programme start=\"" + Xmltv.format(hour.plus(1, ChronoUnit.HOURS)) + "\" stop=\""
                + Xmltv.format(hour.plus(2, ChronoUnit.HOURS)) + "\" channel=\"kids1.example\">",
                "<programme start=\"tomorrow\" channel=\"kids1.example\">");
        int line = lineOf(broken, "start=\"tomorrow\"");
        upload(broken).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://palisade.dev/problems/invalid-xmltv")).body("line", equalTo(line))
                .body("detail", containsString("Line " + line + ": <programme> start 'tomorrow' is not an XMLTV time"))
                .body("detail", containsString("Nothing was imported"));
        // Not well-formed XML, a DOCTYPE (no XXE), and an empty body are refused as well.
        upload(guide("X", "Y").replace("</tv>", "")).then().statusCode(400).body("type", equalTo("https://palisade.dev/problems/invalid-xmltv"));
        upload("<?xml version=\"1.0\"?>\n<!DOCTYPE tv [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<tv><programme start=\"20261124100000 +0000\""
                + " stop=\"20261124110000 +0000\" channel=\"kids1.example\"><title>&x;</title></programme></tv>").then().statusCode(400);
        given().auth().oauth2(operator).contentType("application/xml").body(new byte[0]).post("/api/v1/epg/xmltv").then().statusCode(400);
        // Only operators import.
        given().auth().oauth2(issuer.token(account).sign()).contentType("application/xml").body(guide("A", "B")).post("/api/v1/epg/xmltv")
                .then().statusCode(403);

        String now = given().auth().oauth2(operator).queryParam("channel", "kids-1").get("/api/v1/epg/now-next").then().statusCode(200)
                .extract().jsonPath().getString("[0].now.title");
        assertThat(now).isEqualTo("Cartoons");
    }

    @Test
    void aGuideIsFetchedFromAUrlGzippedOrNot() throws Exception {
        WireMockServer source = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        source.start();
        try {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(guide("From the feed", "Nature").getBytes(StandardCharsets.UTF_8));
            }
            source.stubFor(get(urlEqualTo("/guide.xml.gz")).willReturn(aResponse().withBody(gz.toByteArray())));
            source.stubFor(get(urlEqualTo("/gone.xml")).willReturn(aResponse().withStatus(404)));
            given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("url", source.baseUrl() + "/guide.xml.gz"))
                    .post("/api/v1/epg/xmltv/fetch").then().statusCode(200).body("programmes", equalTo(6));
            assertThat(given().auth().oauth2(operator).queryParam("channel", "kids-1").get("/api/v1/epg/now-next").then().statusCode(200)
                    .extract().jsonPath().getString("[0].now.title")).isEqualTo("From the feed");
            given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("url", source.baseUrl() + "/gone.xml"))
                    .post("/api/v1/epg/xmltv/fetch").then().statusCode(502)
                    .body("type", equalTo("https://palisade.dev/problems/epg-source-unavailable"));
            given().auth().oauth2(operator).contentType(ContentType.JSON).body(Map.of("url", "file:///etc/passwd"))
                    .post("/api/v1/epg/xmltv/fetch").then().statusCode(400);
        } finally {
            source.stop();
        }
    }

    @Test
    void anM3uPlusPlaylistOpensTheLineupThroughARevocableLinkWithoutAPassword() {
        upload(guide("Cartoons", "Nature")).then().statusCode(200);
        String viewer = issuer.token(account).sign();
        JsonPath link = given().auth().oauth2(viewer).contentType(ContentType.JSON).body(Map.of("label", "Living room TV"))
                .post("/api/v1/lineup/playlist-links").then().statusCode(201).extract().jsonPath();
        String playlistUrl = link.getString("playlistUrl");
        assertThat(playlistUrl).startsWith("http://127.0.0.1:8083/api/v1/playlists/").endsWith(".m3u");
        String path = URI_PATH(playlistUrl);

        String m3u = given().get(path).then().statusCode(200).contentType(containsString("audio/x-mpegurl")).extract().asString();
        String[] lines = m3u.split("\n");
        assertThat(lines[0]).startsWith("#EXTM3U url-tvg=\"").contains("/epg.xml");
        assertThat(m3u).contains("#EXTINF:-1 tvg-id=\"kids1.example\" tvg-name=\"kids-1\" tvg-chno=\"701\" tvg-logo=\"https://img.example/kids-1.png\""
                + " group-title=\"Kids\",kids-1").contains("tvg-id=\"docs1.example\"").doesNotContain("adult-1");
        assertThat(m3u.toLowerCase()).doesNotContain("password").doesNotContain("username");
        String playUrl = lines[2];
        assertThat(playUrl).endsWith("/play/kids-1.m3u8");

        // The guide of the link's lineup, for url-tvg.
        assertThat(given().get(URI_PATH(link.getString("epgUrl"))).then().statusCode(200).extract().asString()).contains("Cartoons")
                .doesNotContain("Late film");

        // Playing redirects to the gateway with a playback token; opening it again from the same address resumes the session.
        Response first = given().redirects().follow(false).get(URI_PATH(playUrl));
        assertThat(first.statusCode()).isEqualTo(302);
        String location = first.header("Location");
        assertThat(location).startsWith("http://127.0.0.1:8084/live/kids-1/index.m3u8?token=");
        Response second = given().redirects().follow(false).get(URI_PATH(playUrl));
        assertThat(second.statusCode()).isEqualTo(302);
        List<String> live = given().auth().oauth2(viewer).get("/api/v1/playback/sessions").then().statusCode(200).extract().jsonPath()
                .getList("sessionId");
        assertThat(live).hasSize(1); // one session on a one-stream plan, not two
        // Another channel on a one-stream plan is refused as for any player.
        given().redirects().follow(false).get(URI_PATH(playUrl).replace("kids-1", "docs-1")).then().statusCode(409);

        given().auth().oauth2(viewer).get("/api/v1/lineup/playlist-links").then().statusCode(200).body("[0].label", equalTo("Living room TV"));
        // Another account cannot revoke it; its owner can, and then nothing of it works and its session ends.
        given().auth().oauth2(issuer.token(UUID.randomUUID().toString()).sign()).delete("/api/v1/lineup/playlist-links/" + link.getString("id"))
                .then().statusCode(404);
        given().auth().oauth2(viewer).delete("/api/v1/lineup/playlist-links/" + link.getString("id")).then().statusCode(204);
        given().get(path).then().statusCode(404);
        given().redirects().follow(false).get(URI_PATH(playUrl)).then().statusCode(404);
        given().auth().oauth2(viewer).get("/api/v1/playback/sessions").then().statusCode(200).body("size()", equalTo(0));
        given().get("/api/v1/playlists/" + "x".repeat(43) + ".m3u").then().statusCode(404);
    }

    @Test
    void aChannelNumberBelongsToOneChannel() {
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", "Copy", "number", 701, "origins", List.of("http://127.0.0.1:7001/copy/")))
                .put("/api/v1/catalogue/channels/copy-of-kids").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://palisade.dev/problems/channel-number-taken")).body("detail", containsString("kids-1"));
        // Replacing a channel keeps its own number.
        channel("kids-1", 701, "kids1.example", "Kids");
    }

    private static String URI_PATH(String url) {
        return java.net.URI.create(url).getRawPath();
    }

    private Response upload(String xml) {
        return given().auth().oauth2(operator).contentType("application/xml").body(xml.getBytes(StandardCharsets.UTF_8)).post("/api/v1/epg/xmltv");
    }

    private void channel(String id, int number, String epgId, String category) {
        given().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", id, "number", number, "epgId", epgId, "category", category, "logoUrl", "https://img.example/" + id + ".png",
                        "origins", List.of("http://127.0.0.1:7001/" + id + "/")))
                .put("/api/v1/catalogue/channels/" + id).then().statusCode(200);
    }

    /** Two hours around now on three channels (one not in the catalogue); the last docs programme has no stop. */
    private String guide(String kidsNow, String docsNow) {
        Instant h = hour;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tv generator-info-name=\"test\">\n"
                + "  <channel id=\"kids1.example\"><display-name>Kids One</display-name></channel>\n"
                + "  <channel id=\"docs1.example\"><display-name>Docs One</display-name></channel>\n"
                + "  <channel id=\"unknown.example\"><display-name>Not ours</display-name></channel>\n"
                + programme("kids1.example", h, h.plus(1, ChronoUnit.HOURS), kidsNow)
                + programme("kids1.example", h.plus(1, ChronoUnit.HOURS), h.plus(2, ChronoUnit.HOURS), "Cartoons later")
                + programme("docs1.example", h, h.plus(1, ChronoUnit.HOURS), docsNow)
                + "  <programme start=\"" + Xmltv.format(h.plus(1, ChronoUnit.HOURS)) + "\" channel=\"docs1.example\"><title>Oceans</title>"
                + "<desc>Deep water &amp; light</desc><category>Nature</category></programme>\n"
                + programme("docs1.example", h.plus(3, ChronoUnit.HOURS), h.plus(4, ChronoUnit.HOURS), "Deserts")
                + programme("adult1.example", h, h.plus(2, ChronoUnit.HOURS), "Late film")
                + "</tv>\n";
    }

    private static String programme(String channel, Instant start, Instant stop, String title) {
        return "  <programme start=\"" + Xmltv.format(start) + "\" stop=\"" + Xmltv.format(stop) + "\" channel=\"" + channel + "\">"
                + "<title lang=\"en\">" + title + "</title><episode-num system=\"xmltv_ns\">0.1.</episode-num></programme>\n";
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not found");
    }
}
