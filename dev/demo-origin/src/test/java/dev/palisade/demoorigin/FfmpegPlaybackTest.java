package dev.palisade.demoorigin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg as a real player against an origin on the wall clock. Skipped where ffmpeg is not installed (CI installs
 * it).
 */
class FfmpegPlaybackTest {

    private static DemoOrigin origin;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), "ffmpeg-test");
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private static void requireOnPath(String program) {
        assumeTrue(ExternalCommand.onPath(program),
                program + " is not on the PATH: install ffmpeg (apt-get install -y ffmpeg) to run the playback tests");
    }

    @Test
    void ffprobeSeesH264VideoAndAacAudioInBothRenditions() throws Exception {
        requireOnPath("ffprobe");
        ExternalCommand.Result probe = ExternalCommand.run(List.of("ffprobe", "-v", "error",
                "-show_entries", "stream=codec_type,codec_name,profile,width,height",
                "-of", "compact=p=0:nk=0", origin.masterPlaylistUrl("demo")), Duration.ofSeconds(60), work);

        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        List<String> streams = probe.stdout().lines().filter(l -> !l.isBlank()).toList();
        assertThat(streams).as(probe.stdout()).contains(
                "codec_name=h264|profile=Main|codec_type=video|width=320|height=180",
                "codec_name=h264|profile=Main|codec_type=video|width=640|height=360",
                "codec_name=aac|profile=LC|codec_type=audio");
    }

    /**
     * Starts an origin whose clock runs ahead so that the live edge is a loop restart: ffmpeg starts 3 segments
     * from the end, so it plays loop segments 6 and 7 and then crosses the discontinuity within its 6 s.
     */
    private static DemoOrigin startWithALoopRestartAtTheLiveEdge(String name) {
        long nowMillis = Duration.between(LiveWindow.EPOCH, Instant.now()).toMillis();
        long producing = Math.floorDiv(nowMillis, 2000L);
        long target = producing + 1 + Math.floorMod(1 - (producing + 1), 8L); // (target - 1) mod 8 == 0
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMillis(target * 2000 + 300 - nowMillis));
        DemoOrigin origin = DemoOrigin.start(new InetSocketAddress("127.0.0.1", 0), name, ahead);
        assertThat(origin.window().loopIndex(origin.window().liveEdge(ahead.instant()))).isZero();
        return origin;
    }

    @Test
    void ffmpegPlaysAMediaPlaylistAcrossALoopRestart() throws Exception {
        requireOnPath("ffmpeg");
        try (DemoOrigin restarting = startWithALoopRestartAtTheLiveEdge("ffmpeg-media")) {
            ExternalCommand.Result play = play(restarting.baseUrl() + "/demo/180p/index.m3u8");

            assertThat(play.exitCode()).as(play.stderr()).isZero();
            assertThat(play.stderr()).as("no continuity counter errors between segments").doesNotContain("corrupt");
            assertThat(restarting.stats().segmentFetches().keySet()).as("played into the loop restart")
                    .anyMatch(path -> restarting.window().startsLoop(sequenceOf(path)));
        }
    }

    /**
     * ffmpeg as a player of the master playlist. ffmpeg's default stream selection would take the video of one
     * variant and the audio of the other, and its timestamp correction cannot follow two playlists jumping back at
     * different moments; with one variant mapped it plays across the loop restart.
     */
    @Test
    void ffmpegPlaysTheMasterPlaylistOneVariantAcrossALoopRestart() throws Exception {
        requireOnPath("ffmpeg");
        try (DemoOrigin restarting = startWithALoopRestartAtTheLiveEdge("ffmpeg-master")) {
            ExternalCommand.Result play = play(restarting.masterPlaylistUrl("demo"), "-map", "0:p:1");

            assertThat(play.exitCode()).as(play.stderr()).isZero();
            assertThat(play.stderr()).doesNotContain("corrupt");
            assertThat(restarting.stats().requests(PathKind.MASTER_PLAYLIST)).isPositive();
            assertThat(restarting.stats().segmentFetches().keySet()).as("played 360p")
                    .anyMatch(path -> path.startsWith("/demo/360p/seg-"))
                    .anyMatch(path -> restarting.window().startsLoop(sequenceOf(path)));
        }
    }

    private static long sequenceOf(String segmentPath) {
        return Long.parseLong(segmentPath.replaceAll(".*seg-(\\d+)\\.ts$", "$1"));
    }

    private ExternalCommand.Result play(String url, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-i", url));
        command.addAll(List.of(options));
        command.addAll(List.of("-t", "6", "-f", "null", "-"));
        return ExternalCommand.run(command, Duration.ofSeconds(60), work);
    }

    /**
     * Fetches the 8 newest segments of one variant over HTTP, in loop order (as a player would see one pass of the
     * loop), and has ffprobe read them as one stream: A and B must carry the same packet timestamps, and within the
     * loop the video and audio timestamps must run on without a gap or a jump.
     */
    @Test
    void variantsAAndBCarryTheSameTimestampsWhichRunOnWithinTheLoop() throws Exception {
        requireOnPath("ffprobe");
        long edge = origin.window().liveEdge(Instant.now());
        long oldest = edge - 7;
        long loopStart = oldest + Math.floorMod(-oldest, 8L);
        OriginHttp http = new OriginHttp(origin);
        Map<Variant, List<String>> packets = new EnumMap<>(Variant.class);
        for (Variant variant : Variant.values()) {
            ByteArrayOutputStream loop = new ByteArrayOutputStream();
            for (int i = 0; i < 8; i++) {
                long sequence = loopStart + i <= edge ? loopStart + i : loopStart + i - 8;
                HttpResponse<byte[]> segment = http.get("/demo/360p/" + variant + "/seg-" + sequence + ".ts");
                assertThat(segment.statusCode()).isEqualTo(200);
                loop.write(segment.body());
            }
            Path file = work.resolve(variant + ".ts");
            Files.write(file, loop.toByteArray());
            packets.put(variant, packets(file.toString()));
        }

        // The muxer may interleave audio and video packets differently; the timestamps are what must match.
        assertThat(packets.get(Variant.B)).containsExactlyInAnyOrderElementsOf(packets.get(Variant.A));
        assertThat(sortedPts(packets.get(Variant.A), "0")).as("video: 16 s at 25 fps without gap")
                .hasSize(400).satisfies(pts -> assertSteps(pts, 3_600));
        assertThat(sortedPts(packets.get(Variant.A), "1")).as("audio: AAC frames of 1024 samples at 48 kHz")
                .hasSizeGreaterThan(740).satisfies(pts -> assertSteps(pts, 1_920));
    }

    private static List<Long> sortedPts(List<String> packets, String streamIndex) {
        return packets.stream().map(p -> p.split(",")).filter(f -> f[0].equals(streamIndex))
                .map(f -> Long.parseLong(f[1])).sorted().toList();
    }

    private static void assertSteps(List<? extends Long> pts, long step) {
        for (int i = 1; i < pts.size(); i++) {
            assertThat(pts.get(i) - pts.get(i - 1)).as("step before packet %d", i).isEqualTo(step);
        }
    }

    /** {@code stream_index,pts,duration} of every packet, in file order. */
    private List<String> packets(String url) throws Exception {
        ExternalCommand.Result probe = ExternalCommand.run(List.of("ffprobe", "-v", "error",
                "-show_entries", "packet=stream_index,pts,duration", "-of", "csv=p=0", url),
                Duration.ofSeconds(30), work);
        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        // ffprobe ends some rows with an empty side-data column.
        return probe.stdout().lines().filter(l -> !l.isBlank()).map(l -> l.replaceAll(",+$", "")).toList();
    }
}
