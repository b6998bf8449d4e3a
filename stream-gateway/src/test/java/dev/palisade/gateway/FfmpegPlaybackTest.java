package dev.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palisade.gateway.support.FakeEntitlement;
import dev.palisade.gateway.support.FakeOrigin;
import dev.palisade.gateway.support.GatewayStubs;
import dev.palisade.gateway.support.PlaybackTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * ffmpeg as the player: token → multivariant playlist → media playlists → AES key from (fake) entitlement-service →
 * decrypted real MPEG-TS segments through the gateway; the primary origin is killed during playback and ffmpeg plays on
 * without an error. Skipped when ffmpeg is not installed.
 */
@QuarkusTest
@QuarkusTestResource(GatewayStubs.class)
class FfmpegPlaybackTest {

    static boolean ffmpegInstalled() {
        try {
            return new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void ffmpegPlaysAProtectedChannelThroughAnOriginFailure(@TempDir Path dir) throws Exception {
        assumeTrue(ffmpegInstalled(), "ffmpeg is not installed");
        Process encode = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=160x120:rate=25", "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-keyint_min", "50",
                "-sc_threshold", "0", "-f", "hls", "-hls_time", "2", "-hls_list_size", "0", "-hls_segment_filename",
                dir.resolve("s%d.ts").toString(), dir.resolve("ref.m3u8").toString()).redirectErrorStream(true).start();
        assertThat(encode.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(encode.exitValue()).as(new String(encode.getInputStream().readAllBytes())).isZero();

        String id = "ffmpeg-" + UUID.randomUUID().toString().substring(0, 8);
        FakeOrigin.LiveClock clock = new FakeOrigin.LiveClock(System.currentTimeMillis() - 12_000, 2, 5);
        try (FakeOrigin primary = new FakeOrigin(id, clock, "360p"); FakeOrigin backup = new FakeOrigin(id, clock, "360p")) {
            for (FakeOrigin origin : List.of(primary, backup)) {
                origin.content((variant, sequence) -> {
                    try {
                        return Files.readAllBytes(dir.resolve("s" + ((sequence - 100) % 30) + ".ts"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            FakeEntitlement.get().channel(id, List.of(primary.base(), backup.base()), 3600);
            String url = "http://127.0.0.1:" + RestAssured.port + "/live/" + id + "/index.m3u8?token="
                    + PlaybackTokens.session(id).sign();
            File log = dir.resolve("ffmpeg.log").toFile();
            Process player = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "warning", "-i", url, "-t", "10", "-f", "null", "-")
                    .redirectErrorStream(true).redirectOutput(log).start();
            Thread.sleep(3000);
            primary.kill();
            assertThat(player.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            assertThat(player.exitValue()).as(output).isZero();
            assertThat(output.toLowerCase()).as(output).doesNotContain("error").doesNotContain("failed").doesNotContain("403")
                    .doesNotContain("404");
            assertThat(backup.hits("/index.m3u8")).isPositive();
        }
    }
}
