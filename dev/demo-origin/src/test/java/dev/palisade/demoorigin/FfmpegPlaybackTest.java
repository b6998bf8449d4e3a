package dev.palisade.demoorigin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    @Test
    void ffmpegPlaysTheLivePlaylist() throws Exception {
        requireOnPath("ffmpeg");
        ExternalCommand.Result play = ExternalCommand.run(List.of("ffmpeg", "-hide_banner", "-nostdin",
                "-loglevel", "warning", "-i", origin.masterPlaylistUrl("demo"), "-t", "6", "-f", "null", "-"),
                Duration.ofSeconds(90), work);

        assertThat(play.exitCode()).as(play.stderr()).isZero();
        assertThat(play.stderr()).as("no continuity counter errors between segments").doesNotContain("corrupt");
        assertThat(origin.stats().requests(PathKind.SEGMENT)).isPositive();
    }

    @Test
    void variantsAAndBCarryTheSameTimestampsWhichRunOnWithinTheLoop() throws Exception {
        requireOnPath("ffprobe");
        long edge = origin.window().liveEdge(Instant.now());
        long oldest = edge - 7;
        long loopStart = oldest + Math.floorMod(-oldest, 8L);
        List<Long> firstVideoPts = new ArrayList<>();
        // The 8 newest segments cover the whole loop: take them in loop order.
        for (int i = 0; i < 8; i++) {
            long sequence = loopStart + i <= edge ? loopStart + i : loopStart + i - 8;
            String base = origin.baseUrl() + "/demo/180p/";
            List<String> a = packets(base + "A/seg-" + sequence + ".ts");
            List<String> b = packets(base + "B/seg-" + sequence + ".ts");
            assertThat(a).as("segment %d has packets", sequence).hasSizeGreaterThan(50);
            // The muxer may interleave audio and video packets differently; the timestamps are what must match.
            assertThat(b).as("segment %d: A and B packet timestamps", sequence).containsExactlyInAnyOrderElementsOf(a);
            firstVideoPts.add(a.stream().filter(p -> p.startsWith("0,")).map(p -> Long.parseLong(p.split(",")[1]))
                    .min(Long::compare).orElseThrow());
        }
        for (int i = 1; i < 8; i++) {
            assertThat(firstVideoPts.get(i) - firstVideoPts.get(i - 1)).as("loop segment %d starts 2 s later", i)
                    .isEqualTo(180_000L);
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
