package dev.palisade.gateway.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.palisade.gateway.domain.WatermarkDetector;
import dev.palisade.gateway.domain.WatermarkPattern;

/**
 * Command-line watermark detector, for captures made outside the platform:
 *
 * <pre>
 * java -cp stream-gateway/target/quarkus-app/app/stream-gateway-0.1.0-SNAPSHOT.jar dev.palisade.gateway.cli.WatermarkDetect \
 *     --captured DIR --candidates FILE --reference DIR_OR_URL [--secret S]
 * </pre>
 *
 * {@code DIR} holds the captured clear segments, named as the origin names them (the last number in the name is the media
 * sequence, e.g. {@code seg-493712.ts}); {@code FILE} has one candidate per line, {@code sessionId,watermarkId[,accountId]};
 * the reference (a directory or the origin's rendition URL) has the variants at {@code A/<name>} and {@code B/<name>};
 * the secret is {@code palisade.gateway.watermark.secret} (default: env {@code PALISADE_WATERMARK_SECRET}). Prints the
 * verdict; exits 0 when a session is identified, 2 when the evidence is not conclusive, 1 on bad input.
 */
public final class WatermarkDetect {

    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

    private WatermarkDetect() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String secret = options.getOrDefault("--secret", System.getenv("PALISADE_WATERMARK_SECRET"));
        if (secret == null || !options.containsKey("--captured") || !options.containsKey("--candidates")
                || !options.containsKey("--reference")) {
            System.err.println("usage: WatermarkDetect --captured DIR --candidates FILE --reference DIR_OR_URL [--secret S]");
            System.exit(1);
        }
        WatermarkDetector.Result result = run(secret, Path.of(options.get("--captured")), Path.of(options.get("--candidates")),
                options.get("--reference"), System.out);
        System.exit(result.identified() ? 0 : 2);
    }

    /** Runs the detection and prints a report to {@code out}. */
    public static WatermarkDetector.Result run(String secret, Path captured, Path candidatesFile, String reference,
            java.io.PrintStream out) throws IOException, InterruptedException {
        List<WatermarkDetector.Candidate> candidates = new ArrayList<>();
        for (String line : Files.readAllLines(candidatesFile, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split(",");
            candidates.add(new WatermarkDetector.Candidate(parts[0].strip(), Long.parseLong(parts[1].strip()),
                    parts.length > 2 ? parts[2].strip() : null));
        }
        HttpClient http = HttpClient.newHttpClient();
        List<WatermarkDetector.Observation> observations = new ArrayList<>();
        int unidentified = 0;
        List<Path> files;
        try (Stream<Path> list = Files.list(captured)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher m = LAST_NUMBER.matcher(name);
            if (!m.find()) {
                continue;
            }
            long sequence = Long.parseLong(m.group(1));
            byte[] hash = sha256(Files.readAllBytes(file));
            byte[] a = reference(http, reference, "A/" + name);
            byte[] b = reference(http, reference, "B/" + name);
            boolean isA = a != null && MessageDigest.isEqual(sha256(a), hash);
            boolean isB = b != null && MessageDigest.isEqual(sha256(b), hash);
            if (isA == isB) {
                unidentified++;
            } else {
                observations.add(new WatermarkDetector.Observation(sequence, isB));
            }
        }
        WatermarkDetector.Result r = new WatermarkDetector(new WatermarkPattern(secret.getBytes(StandardCharsets.UTF_8)))
                .detect(candidates, observations);
        out.printf("observations: %d (unidentified captures: %d), candidates: %d%n", r.observations(), unidentified, r.candidates());
        if (r.best() != null) {
            out.printf("most likely session: %s (account %s, watermark %d), %d/%d bits match%n", r.best().sessionId(),
                    r.best().accountId(), r.best().watermarkId(), r.matches(), r.observations());
            out.printf("confidence: %.6f, false-match probability: %.3g%n", r.confidence(), r.falseMatchProbability());
            if (r.runnerUp() != null) {
                out.printf("runner-up: %s, %d/%d bits match (log-likelihood ratio %.1f)%n", r.runnerUp().sessionId(), r.runnerUpMatches(),
                        r.observations(), r.logLikelihoodRatio());
            }
        }
        out.println(r.identified() ? "IDENTIFIED" : "NOT CONCLUSIVE: capture more segments");
        return r;
    }

    private static byte[] reference(HttpClient http, String reference, String relative) throws IOException, InterruptedException {
        if (reference.startsWith("http://") || reference.startsWith("https://")) {
            String base = reference.endsWith("/") ? reference : reference + "/";
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + relative)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? response.body() : null;
        }
        Path path = Path.of(reference).resolve(relative);
        return Files.isRegularFile(path) ? Files.readAllBytes(path) : null;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
