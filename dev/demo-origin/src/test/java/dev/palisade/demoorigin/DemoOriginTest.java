package dev.palisade.demoorigin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The origin over real HTTP, on a clock the tests move. */
class DemoOriginTest {

    /** 2026-03-01T10:00:00Z is 194_522_400 s after the epoch: it starts segment 97_261_200; T0 is 1 s into it. */
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:01Z");
    /** The newest complete segment at T0. */
    private static final long EDGE_AT_T0 = 97_261_199L;

    private final MutableClock clock = new MutableClock(T0);
    private final List<DemoOrigin> started = new ArrayList<>();
    private DemoOrigin origin;
    private OriginHttp http;

    @BeforeEach
    void start() {
        origin = start("primary", clock);
        http = new OriginHttp(origin);
    }

    @AfterEach
    void stop() {
        started.forEach(DemoOrigin::close);
    }

    private DemoOrigin start(String name, MutableClock clock) {
        DemoOrigin o = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), name, clock);
        started.add(o);
        return o;
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String header(HttpResponse<byte[]> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void theMasterPlaylistListsTheRenditionsAsRelativeMediaPlaylists() {
        HttpResponse<byte[]> master = http.get("/demo/master.m3u8");

        assertThat(master.statusCode()).isEqualTo(200);
        assertThat(header(master, "Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(header(master, "Cache-Control")).isEqualTo("public, max-age=1");
        List<String> lines = text(master).lines().toList();
        assertThat(lines).startsWith("#EXTM3U", "#EXT-X-VERSION:3");
        assertThat(lines).filteredOn(l -> l.startsWith("#EXT-X-STREAM-INF:")).hasSize(2).allSatisfy(l -> assertThat(l)
                .containsPattern("BANDWIDTH=\\d+,RESOLUTION=\\d+x\\d+,CODECS=\"avc1\\.4d401e,mp4a\\.40\\.2\""));
        List<String> uris = lines.stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(uris).containsExactly("180p/index.m3u8", "360p/index.m3u8");
        for (String uri : uris) {
            assertThat(http.playlist("/demo/" + uri).segments()).hasSize(6);
        }
    }

    @Test
    void theMediaPlaylistIsALiveWindowOfSixSegmentsNamedByMediaSequence() {
        HttpResponse<byte[]> response = http.get("/demo/180p/index.m3u8");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(header(response, "Cache-Control")).isEqualTo("public, max-age=1");

        MediaPlaylist playlist = MediaPlaylist.parse(text(response));

        assertThat(playlist.version()).isEqualTo(3);
        assertThat(playlist.targetDuration()).isEqualTo(2);
        assertThat(playlist.endList()).as("live: no ENDLIST").isFalse();
        assertThat(playlist.mediaSequence()).isEqualTo(EDGE_AT_T0 - 5);
        assertThat(playlist.segments()).hasSize(6);
        for (int i = 0; i < 6; i++) {
            MediaPlaylist.Segment segment = playlist.segments().get(i);
            long sequence = playlist.sequence(i);
            assertThat(segment.uri()).isEqualTo("seg-" + sequence + ".ts");
            assertThat(segment.duration()).isEqualTo(2.0);
            assertThat(segment.programDateTime()).isEqualTo(LiveWindow.EPOCH.plusSeconds(2 * sequence));
            assertThat(segment.discontinuity()).isEqualTo(sequence % 8 == 0);
        }
        assertThat(playlist.last().programDateTime().plusSeconds(2)).as("the newest segment is complete")
                .isBeforeOrEqualTo(T0);
        assertThat(http.getText("/demo/360p/index.m3u8")).isEqualTo(text(response));
    }

    @Test
    void theWindowAdvancesOneSegmentEveryTwoSecondsOfTheClock() {
        MediaPlaylist before = http.playlist("/demo/180p/index.m3u8");

        clock.advance(Duration.ofMillis(900));
        assertThat(http.playlist("/demo/180p/index.m3u8")).isEqualTo(before);

        clock.advance(Duration.ofMillis(1100));
        MediaPlaylist after = http.playlist("/demo/180p/index.m3u8");
        assertThat(after.mediaSequence()).isEqualTo(before.mediaSequence() + 1);
        assertThat(after.segments().subList(0, 5)).isEqualTo(before.segments().subList(1, 6));
        assertThat(after.last().uri()).isEqualTo("seg-" + (EDGE_AT_T0 + 1) + ".ts");

        clock.advance(Duration.ofMinutes(10));
        assertThat(http.playlist("/demo/180p/index.m3u8").mediaSequence()).isEqualTo(before.mediaSequence() + 301);
    }

    @Test
    void loopRestartsAreMarkedAndTheDiscontinuitySequenceFollowsThem() {
        MediaPlaylist previous = http.playlist("/demo/180p/index.m3u8");
        int marked = 0;
        for (int step = 0; step < 20; step++) {
            clock.advance(Duration.ofSeconds(2));
            MediaPlaylist next = http.playlist("/demo/180p/index.m3u8");
            long removedTags = previous.segments().get(0).discontinuity() ? 1 : 0;
            assertThat(next.discontinuitySequence()).isEqualTo(previous.discontinuitySequence() + removedTags);
            for (int i = 0; i < next.segments().size(); i++) {
                long sequence = next.sequence(i);
                assertThat(next.segments().get(i).discontinuity()).as("segment %d", sequence)
                        .isEqualTo(sequence % 8 == 0);
            }
            marked += (int) next.segments().stream().filter(MediaPlaylist.Segment::discontinuity).count();
            previous = next;
        }
        assertThat(marked).as("20 windows over 40 s show loop restarts").isPositive();
    }

    @Test
    void twoOriginsStartedAtDifferentTimesPublishTheSamePlaylistsAndSegmentsAtTheSameInstant() {
        clock.advance(Duration.ofSeconds(37));
        MutableClock backupClock = new MutableClock(T0.plusSeconds(37));
        DemoOrigin backup = start("backup", backupClock);
        OriginHttp backupHttp = new OriginHttp(backup);

        for (int step = 0; step < 3; step++) {
            assertThat(backupHttp.getText("/demo/master.m3u8")).isEqualTo(http.getText("/demo/master.m3u8"));
            for (String rendition : List.of("180p", "360p")) {
                String path = "/demo/" + rendition + "/index.m3u8";
                String playlist = http.getText(path);
                assertThat(backupHttp.getText(path)).isEqualTo(playlist);
                for (MediaPlaylist.Segment segment : MediaPlaylist.parse(playlist).segments()) {
                    for (String prefix : List.of("", "A/", "B/")) {
                        String segmentPath = "/demo/" + rendition + "/" + prefix + segment.uri();
                        assertThat(backupHttp.get(segmentPath).body()).isEqualTo(http.get(segmentPath).body());
                    }
                }
            }
            clock.advance(Duration.ofMillis(1300));
            backupClock.advance(Duration.ofMillis(1300));
        }
    }

    @Test
    void everySegmentOfTheLoopExistsInVariantsAAndBThatDifferByteWise() {
        for (String rendition : List.of("180p", "360p")) {
            for (long sequence = EDGE_AT_T0 - 7; sequence <= EDGE_AT_T0; sequence++) {
                String base = "/demo/" + rendition + "/";
                HttpResponse<byte[]> plain = http.get(base + "seg-" + sequence + ".ts");
                HttpResponse<byte[]> a = http.get(base + "A/seg-" + sequence + ".ts");
                HttpResponse<byte[]> b = http.get(base + "B/seg-" + sequence + ".ts");
                for (HttpResponse<byte[]> response : List.of(plain, a, b)) {
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(header(response, "Content-Type")).isEqualTo("video/mp2t");
                    assertThat(header(response, "Cache-Control")).isEqualTo("public, max-age=3600");
                    assertThat(response.body()[0]).isEqualTo((byte) 0x47);
                }
                assertThat(plain.body()).as("the plain URI serves variant A").isEqualTo(a.body());
                assertThat(a.body()).as("%s seg %d: A vs B", rendition, sequence).isNotEqualTo(b.body());
                int loopIndex = (int) (sequence % 8);
                assertThat(a.body()).isEqualTo(origin.media().segment(rendition, Variant.A, loopIndex));
                assertThat(b.body()).isEqualTo(origin.media().segment(rendition, Variant.B, loopIndex));
            }
        }
        // The same loop segment comes back every 8 sequence numbers.
        assertThat(http.get("/demo/180p/B/seg-" + EDGE_AT_T0 + ".ts").body())
                .isEqualTo(http.get("/demo/180p/B/seg-" + (EDGE_AT_T0 - 8) + ".ts").body());
    }

    @Test
    void segmentsAreServedOnlyInsideOrJustBehindTheWindow() {
        assertThat(http.get("/demo/180p/seg-" + EDGE_AT_T0 + ".ts").statusCode()).isEqualTo(200);
        assertThat(http.get("/demo/180p/B/seg-" + (EDGE_AT_T0 - 29) + ".ts").statusCode()).isEqualTo(200);
        assertThat(http.get("/demo/180p/B/seg-" + (EDGE_AT_T0 - 30) + ".ts").statusCode()).isEqualTo(404);
        assertThat(http.get("/demo/180p/seg-" + (EDGE_AT_T0 + 1) + ".ts").statusCode())
                .as("the segment being produced, for a backup whose clock lags").isEqualTo(200);
        HttpResponse<byte[]> future = http.get("/demo/180p/A/seg-" + (EDGE_AT_T0 + 2) + ".ts");
        assertThat(future.statusCode()).isEqualTo(404);
        assertThat(header(future, "Content-Type")).isEqualTo("application/problem+json");
        assertThat(http.get("/demo/180p/seg-0.ts").statusCode()).isEqualTo(404);

        clock.advance(Duration.ofSeconds(58));
        assertThat(http.get("/demo/180p/seg-" + EDGE_AT_T0 + ".ts").statusCode()).as("58 s later").isEqualTo(200);
        clock.advance(Duration.ofSeconds(2));
        assertThat(http.get("/demo/180p/seg-" + EDGE_AT_T0 + ".ts").statusCode()).as("60 s later").isEqualTo(404);
    }

    @Test
    void anyChannelIdServesTheDemoMediaAndEverythingElseIsNotFound() {
        String playlist = http.getText("/demo/180p/index.m3u8");
        assertThat(http.getText("/news-24/180p/index.m3u8")).isEqualTo(playlist);
        assertThat(http.getText("/" + "c".repeat(63) + "/180p/index.m3u8")).isEqualTo(playlist);
        assertThat(http.getText("/demo/180p/index.m3u8?token=abc")).as("query ignored").isEqualTo(playlist);
        assertThat(http.get("/sport1/360p/B/seg-" + EDGE_AT_T0 + ".ts").body())
                .isEqualTo(http.get("/demo/360p/B/seg-" + EDGE_AT_T0 + ".ts").body());

        for (String path : List.of("/", "/demo", "/demo/", "/Demo/master.m3u8", "/" + "c".repeat(64) + "/master.m3u8",
                "/de_mo/master.m3u8", "/demo/720p/index.m3u8", "/demo/720p/seg-" + EDGE_AT_T0 + ".ts",
                "/demo/180p/C/seg-" + EDGE_AT_T0 + ".ts", "/demo/180p/seg-0" + EDGE_AT_T0 + ".ts",
                "/demo/180p/seg-abc.ts", "/demo/180p/seg-" + EDGE_AT_T0 + ".m4s", "/demo/180p/A/index.m3u8",
                "/demo/180p/seg-99999999999999999999.ts", "/control/nope")) {
            HttpResponse<byte[]> response = http.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(text(response)).as(path).contains("\"status\":404");
        }
    }

    @Test
    void onlyGetAndHeadAreAllowedAndHeadAnswersWithoutABody() {
        String segment = "/demo/360p/B/seg-" + EDGE_AT_T0 + ".ts";
        byte[] bytes = http.get(segment).body();

        HttpResponse<byte[]> head = http.send("HEAD", segment);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(bytes.length));
        assertThat(header(head, "Content-Type")).isEqualTo("video/mp2t");
        assertThat(http.send("HEAD", "/demo/180p/index.m3u8").statusCode()).isEqualTo(200);
        assertThat(http.send("HEAD", "/demo/180p/seg-1.ts").statusCode()).isEqualTo(404);

        for (String method : List.of("POST", "PUT", "DELETE")) {
            for (String path : List.of("/demo/master.m3u8", "/demo/180p/index.m3u8", segment, "/health")) {
                HttpResponse<byte[]> response = http.send(method, path);
                assertThat(response.statusCode()).as(method + " " + path).isEqualTo(405);
                assertThat(header(response, "Allow")).isEqualTo("GET, HEAD");
            }
        }
        HttpResponse<byte[]> getDown = http.get("/control/down");
        assertThat(getDown.statusCode()).isEqualTo(405);
        assertThat(header(getDown, "Allow")).isEqualTo("POST");
        assertThat(origin.isDown()).isFalse();
        assertThat(http.send("POST", "/control/stats").statusCode()).isEqualTo(405);
    }

    @Test
    void healthAnswersWhileUp() {
        HttpResponse<byte[]> health = http.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(text(health)).contains("UP primary");
    }

    @Nested
    class OperatorSwitches {

        @Test
        void downAnswers503ToEverythingButControlUntilUp() {
            String segment = "/demo/180p/seg-" + EDGE_AT_T0 + ".ts";
            HttpResponse<byte[]> switched = http.send("POST", "/control/down");
            assertThat(switched.statusCode()).isEqualTo(200);
            assertThat(text(switched)).contains("\"down\":true");
            assertThat(origin.isDown()).isTrue();

            for (String path : List.of("/health", "/demo/master.m3u8", "/demo/180p/index.m3u8", segment,
                    "/demo/180p/B/seg-" + EDGE_AT_T0 + ".ts", "/nothing")) {
                HttpResponse<byte[]> response = http.get(path);
                assertThat(response.statusCode()).as(path).isEqualTo(503);
                assertThat(header(response, "Cache-Control")).isEqualTo("no-store");
            }
            assertThat(http.send("HEAD", segment).statusCode()).isEqualTo(503);
            clock.advance(Duration.ofHours(1));
            assertThat(http.get(segment.replace(Long.toString(EDGE_AT_T0), Long.toString(EDGE_AT_T0 + 1800)))
                    .statusCode()).as("down until switched up").isEqualTo(503);
            HttpResponse<byte[]> stats = http.get("/control/stats");
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(text(stats)).contains("\"down\":true", "\"unavailable\":8");

            assertThat(http.send("POST", "/control/up").statusCode()).isEqualTo(200);
            assertThat(origin.isDown()).isFalse();
            assertThat(http.get("/health").statusCode()).isEqualTo(200);
            assertThat(http.get("/demo/180p/index.m3u8").statusCode()).isEqualTo(200);
        }

        @Test
        void downForAWhileComesBackByItself() {
            assertThat(http.send("POST", "/control/down?seconds=5").statusCode()).isEqualTo(200);
            assertThat(http.get("/demo/master.m3u8").statusCode()).isEqualTo(503);
            clock.advance(Duration.ofMillis(4999));
            assertThat(http.get("/demo/master.m3u8").statusCode()).isEqualTo(503);
            clock.advance(Duration.ofMillis(1));
            assertThat(http.get("/demo/master.m3u8").statusCode()).isEqualTo(200);
        }

        @Test
        void downFromJava() {
            origin.down(true);
            assertThat(http.get("/demo/180p/index.m3u8").statusCode()).isEqualTo(503);
            origin.down(false);
            assertThat(http.get("/demo/180p/index.m3u8").statusCode()).isEqualTo(200);
            origin.down(Duration.ofSeconds(3));
            assertThat(http.get("/demo/180p/index.m3u8").statusCode()).isEqualTo(503);
            clock.advance(Duration.ofSeconds(3));
            assertThat(http.get("/demo/180p/index.m3u8").statusCode()).isEqualTo(200);
        }

        @Test
        void freezeRepeatsTheSamePlaylistWhileTheClockRunsUntilUnfrozen() {
            String live = http.getText("/demo/180p/index.m3u8");
            HttpResponse<byte[]> switched = http.send("POST", "/control/freeze");
            assertThat(switched.statusCode()).isEqualTo(200);
            assertThat(text(switched)).contains("\"frozen\":true");

            clock.advance(Duration.ofSeconds(30));
            assertThat(http.getText("/demo/180p/index.m3u8")).isEqualTo(live);
            assertThat(http.send("POST", "/control/freeze").statusCode()).as("freezing twice").isEqualTo(200);
            clock.advance(Duration.ofMinutes(5));
            assertThat(http.getText("/demo/180p/index.m3u8")).isEqualTo(live);
            assertThat(http.get("/demo/180p/B/" + MediaPlaylist.parse(live).last().uri()).statusCode())
                    .as("the frozen window's segments stay available").isEqualTo(200);

            assertThat(http.send("POST", "/control/unfreeze").statusCode()).isEqualTo(200);
            MediaPlaylist resumed = http.playlist("/demo/180p/index.m3u8");
            assertThat(resumed.mediaSequence()).isEqualTo(MediaPlaylist.parse(live).mediaSequence() + 165);
        }

        @Test
        void freezeFromJava() {
            String live = http.getText("/demo/360p/index.m3u8");
            origin.freeze(true);
            assertThat(origin.isFrozen()).isTrue();
            clock.advance(Duration.ofSeconds(10));
            assertThat(http.getText("/demo/360p/index.m3u8")).isEqualTo(live);
            origin.freeze(false);
            assertThat(http.getText("/demo/360p/index.m3u8")).isNotEqualTo(live);
        }
    }

    @Test
    void statsCountRequestsPerKindAndSuccessfulGetsPerSegmentPath() {
        String a = "/demo/180p/seg-" + EDGE_AT_T0 + ".ts";
        String b = "/demo/180p/B/seg-" + EDGE_AT_T0 + ".ts";
        http.get("/demo/master.m3u8");
        http.get("/demo/180p/index.m3u8");
        http.get(a);
        http.get(a);
        http.get(b);
        http.send("HEAD", b);
        http.get("/demo/180p/seg-1.ts");

        RequestStats stats = origin.stats();
        assertThat(stats.requests(PathKind.MASTER_PLAYLIST)).isEqualTo(1);
        assertThat(stats.requests(PathKind.MEDIA_PLAYLIST)).isEqualTo(1);
        assertThat(stats.requests(PathKind.SEGMENT)).isEqualTo(5);
        assertThat(stats.segmentFetches(a)).isEqualTo(2);
        assertThat(stats.segmentFetches(b)).as("HEAD is not a fetch").isEqualTo(1);
        assertThat(stats.segmentFetches("/demo/180p/seg-1.ts")).as("404 is not a fetch").isZero();

        HttpResponse<byte[]> json = http.get("/control/stats");
        assertThat(header(json, "Content-Type")).isEqualTo("application/json");
        assertThat(text(json)).startsWith("{\"name\":\"primary\",\"down\":false,\"frozen\":false,\"liveEdge\":"
                + EDGE_AT_T0 + ",\"requests\":{\"master_playlist\":1,\"media_playlist\":1,\"segment\":5,")
                .contains("\"segmentFetches\":{\"" + a + "\":2,\"" + b + "\":1}");

        assertThat(http.send("POST", "/control/stats/reset").statusCode()).isEqualTo(200);
        assertThat(stats.segmentFetches(a)).isZero();
        assertThat(stats.requests(PathKind.SEGMENT)).isZero();
    }
}
