package dev.palisade.gateway.domain;

import java.util.List;

/**
 * Names the playback session a pirate restream most likely comes from. Each captured segment, identified as variant A or
 * B of media sequence {@code n}, is one observed bit; each candidate session predicts the bit from its watermark id
 * ({@link WatermarkPattern}). A candidate that matched {@code m} of {@code k} observations has log-likelihood
 * {@code m·ln(1−ε) + (k−m)·ln ε}, with ε the chance that an observation is wrong (misidentified capture, collusion).
 * With a uniform prior over the candidates the posterior of the best one is its {@code confidence}; the
 * {@code falseMatchProbability} is the chance that any innocent candidate (bits matching at random) would score as well
 * (a Bonferroni bound on the binomial tail). Too few observations give a low confidence, never a confident wrong name.
 */
public final class WatermarkDetector {

    /** A session that might be the source. */
    public record Candidate(String sessionId, long watermarkId, String accountId) {
    }

    /** A captured segment: its media sequence and which variant it was. */
    public record Observation(long sequence, boolean variantB) {
    }

    /** The verdict. {@code best} is null without candidates or observations. */
    public record Result(Candidate best, int matches, int observations, double confidence, Candidate runnerUp, int runnerUpMatches,
            double logLikelihoodRatio, double falseMatchProbability, int candidates, boolean identified) {
    }

    public static final double DEFAULT_ERROR_RATE = 0.05;
    public static final double IDENTIFIED_CONFIDENCE = 0.99;

    private final WatermarkPattern pattern;
    private final double errorRate;

    public WatermarkDetector(WatermarkPattern pattern) {
        this(pattern, DEFAULT_ERROR_RATE);
    }

    public WatermarkDetector(WatermarkPattern pattern, double errorRate) {
        if (errorRate <= 0 || errorRate >= 0.5) {
            throw new IllegalArgumentException("error rate must be in (0, 0.5)");
        }
        this.pattern = pattern;
        this.errorRate = errorRate;
    }

    public Result detect(List<Candidate> candidates, List<Observation> observations) {
        int k = observations.size();
        if (candidates.isEmpty() || k == 0) {
            return new Result(null, 0, k, 0, null, 0, 0, 1, candidates.size(), false);
        }
        double hit = Math.log(1 - errorRate);
        double miss = Math.log(errorRate);
        int[] matches = new int[candidates.size()];
        int best = -1;
        int second = -1;
        for (int i = 0; i < candidates.size(); i++) {
            long wm = candidates.get(i).watermarkId();
            int m = 0;
            for (Observation o : observations) {
                if (pattern.bit(wm, o.sequence()) == o.variantB()) {
                    m++;
                }
            }
            matches[i] = m;
            if (best < 0 || m > matches[best]) {
                second = best;
                best = i;
            } else if (second < 0 || m > matches[second]) {
                second = i;
            }
        }
        // Posterior of the best candidate: 1 / Σ exp(L_i − L_best); L_i − L_best = (m_i − m_best)(hit − miss).
        double perMatch = hit - miss;
        double denominator = 0;
        for (int m : matches) {
            denominator += Math.exp((m - matches[best]) * perMatch);
        }
        double confidence = 1 / denominator;
        double llr = second < 0 ? Double.POSITIVE_INFINITY : (matches[best] - matches[second]) * perMatch;
        double falseMatch = Math.min(1, candidates.size() * binomialTail(k, matches[best]));
        boolean identified = confidence >= IDENTIFIED_CONFIDENCE && falseMatch <= 1 - IDENTIFIED_CONFIDENCE;
        return new Result(candidates.get(best), matches[best], k, confidence, second < 0 ? null : candidates.get(second),
                second < 0 ? 0 : matches[second], llr, falseMatch, candidates.size(), identified);
    }

    /** P(X ≥ m) for X ~ Binomial(k, 1/2). */
    static double binomialTail(int k, int m) {
        double sum = 0;
        for (int j = m; j <= k; j++) {
            sum += Math.exp(logChoose(k, j) - k * Math.log(2));
        }
        return Math.min(1, sum);
    }

    private static double logChoose(int n, int r) {
        double s = 0;
        for (int i = 1; i <= r; i++) {
            s += Math.log(n - r + i) - Math.log(i);
        }
        return s;
    }
}
