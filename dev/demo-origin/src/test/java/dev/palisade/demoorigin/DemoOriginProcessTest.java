package dev.palisade.demoorigin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The origin as the local stack runs it: a separate JVM, stopped with SIGTERM. */
class DemoOriginProcessTest {

    private static final Pattern SERVING =
            Pattern.compile("demo-origin backup serving (http://127\\.0\\.0\\.1:\\d+)/<channel>/master\\.m3u8");

    @TempDir
    Path work;

    @Test
    void mainPrintsWhereItServesAndStopsCleanlyOnSigterm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = work.resolve("origin.log");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DemoOrigin.class.getName(), "--port", "0", "--name", "backup")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            List<String> lines = List.of();
            for (int i = 0; i < 300 && lines.isEmpty() && process.isAlive(); i++) {
                TimeUnit.MILLISECONDS.sleep(100);
                lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            }
            assertThat(lines).as("the process prints where it serves").hasSize(1);
            Matcher serving = SERVING.matcher(lines.get(0));
            assertThat(serving.matches()).as(lines.get(0)).isTrue();

            HttpResponse<String> master = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(serving.group(1) + "/demo/master.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(master.statusCode()).isEqualTo(200);
            assertThat(master.body()).contains("180p/index.m3u8");

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            assertThat(process.exitValue()).as("JVM exit after SIGTERM and the shutdown hook").isIn(0, 143);
            assertThat(Files.readAllLines(output, StandardCharsets.UTF_8))
                    .containsExactly(lines.get(0), "demo-origin backup stopped");
        } finally {
            process.destroyForcibly();
        }
    }
}
