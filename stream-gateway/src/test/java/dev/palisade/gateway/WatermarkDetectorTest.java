package dev.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.palisade.gateway.cli.WatermarkDetect;
import dev.palisade.gateway.domain.WatermarkDetector;
import dev.palisade.gateway.domain.WatermarkDetector.Candidate;
import dev.palisade.gateway.domain.WatermarkDetector.Observation;
import dev.palisade.gateway.domain.WatermarkPattern;

/** The A/B detector names the right session among 10,000 from 64 captured segments, and is honest with too few. */
class WatermarkDetectorTest {

    static final byte[] SECRET = "detector-test-secret".getBytes(StandardCharsets.UTF_8);
    final WatermarkPattern pattern = new WatermarkPattern(SECRET);
    final Random random = new Random(42);

    List<Candidate> candidates(int n) {
        List<Candidate> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Candidate(UUID.randomUUID().toString(), Math.abs(random.nextLong() % 1_000_000_000L), "acct-" + i));
        }
        return list;
    }

    List<Observation> capture(long watermarkId, long firstSequence, int segments, double flipRate) {
        List<Observation> observations = new ArrayList<>();
        for (long n = firstSequence; n < firstSequence + segments; n++) {
            boolean bit = pattern.bit(watermarkId, n);
            observations.add(new Observation(n, random.nextDouble() < flipRate ? !bit : bit));
        }
        return observations;
    }

    @Test
    void sixtyFourSegmentsNameTheRightSessionAmongTenThousand() {
        List<Candidate> candidates = candidates(10_000);
        Candidate pirate = candidates.get(7_321);
        WatermarkDetector.Result result = new WatermarkDetector(pattern).detect(candidates, capture(pirate.watermarkId(), 493_712, 64, 0));
        assertThat(result.best()).isEqualTo(pirate);
        assertThat(result.matches()).isEqualTo(64);
        assertThat(result.identified()).isTrue();
        assertThat(result.confidence()).isGreaterThan(0.999);
        assertThat(result.falseMatchProbability()).isLessThan(1e-9);
        assertThat(result.runnerUpMatches()).isLessThan(56);
    }

    @Test
    void someMisidentifiedCapturesStillNameTheRightSession() {
        List<Candidate> candidates = candidates(10_000);
        Candidate pirate = candidates.get(42);
        WatermarkDetector.Result result = new WatermarkDetector(pattern).detect(candidates, capture(pirate.watermarkId(), 1_000, 64, 0.05));
        assertThat(result.best()).isEqualTo(pirate);
        assertThat(result.identified()).isTrue();
    }

    @Test
    void tooFewSegmentsGiveLowConfidenceNotAConfidentWrongAnswer() {
        List<Candidate> candidates = candidates(10_000);
        Candidate pirate = candidates.get(9);
        for (int segments : new int[] { 0, 4, 8, 12 }) {
            WatermarkDetector.Result result = new WatermarkDetector(pattern).detect(candidates, capture(pirate.watermarkId(), 77, segments, 0));
            assertThat(result.identified()).as("%d segments", segments).isFalse();
            assertThat(result.confidence()).as("%d segments", segments).isLessThan(0.5);
        }
    }

    @Test
    void commandLineReadsCapturedSegmentsAndCandidates(@TempDir Path dir) throws Exception {
        List<Candidate> candidates = candidates(2_000);
        Candidate pirate = candidates.get(1_999);
        Path reference = Files.createDirectories(dir.resolve("origin/360p"));
        Files.createDirectories(reference.resolve("A"));
        Files.createDirectories(reference.resolve("B"));
        Path captured = Files.createDirectories(dir.resolve("captured"));
        for (long n = 5_000; n < 5_040; n++) {
            byte[] a = ("A" + n).repeat(100).getBytes(StandardCharsets.US_ASCII);
            byte[] b = ("B" + n).repeat(100).getBytes(StandardCharsets.US_ASCII);
            Files.write(reference.resolve("A/seg-" + n + ".ts"), a);
            Files.write(reference.resolve("B/seg-" + n + ".ts"), b);
            Files.write(captured.resolve("seg-" + n + ".ts"), pattern.bit(pirate.watermarkId(), n) ? b : a);
        }
        Path list = dir.resolve("candidates.csv");
        StringBuilder csv = new StringBuilder("# sessionId,watermarkId,accountId\n");
        candidates.forEach(c -> csv.append(c.sessionId()).append(',').append(c.watermarkId()).append(',').append(c.accountId()).append('\n'));
        Files.writeString(list, csv);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WatermarkDetector.Result result = WatermarkDetect.run(new String(SECRET, StandardCharsets.UTF_8), captured, list,
                reference.toString(), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(result.best()).isEqualTo(pirate);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(pirate.sessionId()).contains("IDENTIFIED").contains("40/40");
    }
}
