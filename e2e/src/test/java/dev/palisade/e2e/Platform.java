package dev.palisade.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform, started the way a developer starts it ({@code dev/up --detach}) with its own state directory
 * under target/, and stopped with {@code dev/down --purge}. Nothing is faked: six services, PostgreSQL, Kafka, S3 and
 * the two demo origins, as processes.
 */
final class Platform implements AutoCloseable {

    static final String AUTH = "http://127.0.0.1:8081";
    static final String BILLING = "http://127.0.0.1:8082";
    static final String ENTITLEMENT = "http://127.0.0.1:8083";
    static final String GATEWAY = "http://127.0.0.1:8084";
    static final String ORIGIN_PRIMARY = "http://127.0.0.1:8091";

    final Path root;
    final Path state;

    private Platform(Path root, Path state) {
        this.root = root;
        this.state = state;
    }

    static Platform start() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("palisade.root", "..")).toAbsolutePath().normalize();
        if (healthy(AUTH)) {
            throw new IllegalStateException("A Palisade stack is already running on 127.0.0.1:8081 (dev/up?). The end-to-end test starts its"
                    + " own: stop the other one with dev/down first.");
        }
        Path state = root.resolve("e2e/target/palisade-state");
        Platform platform = new Platform(root, state);
        platform.run(Duration.ofMinutes(6), "dev/up", "--detach");
        return platform;
    }

    /** The pid of a component of the stack (e.g. origin-primary). */
    long pid(String component) throws IOException {
        return Long.parseLong(Files.readString(state.resolve("run/" + component + ".pid")).trim());
    }

    Path log(String component) {
        return state.resolve("logs/" + component + ".log");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(Duration.ofMinutes(2), "dev/down", "--purge");
    }

    private void run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path output = Files.createDirectories(root.resolve("e2e/target")).resolve(command[0].replace('/', '-') + ".out");
        ProcessBuilder builder = new ProcessBuilder(List.of(command).stream().map(c -> c.startsWith("dev/") ? root.resolve(c).toString() : c)
                .toList()).directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PALISADE_STATE_DIR", state.toString());
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout + ":\n" + Files.readString(output));
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(out);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + out);
        }
    }

    static boolean healthy(String base) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
