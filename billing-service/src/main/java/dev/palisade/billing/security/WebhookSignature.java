package dev.palisade.billing.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe-style webhook signatures: the header is {@code t=<unix seconds>,v1=<hex>[,v1=<hex>…]} where each {@code v1}
 * is HMAC-SHA256 over {@code "<t>.<raw body>"} with a signing secret. A signature is valid when its timestamp is
 * within the tolerance of now and one {@code v1} matches one of the active secrets (compared in constant time).
 */
public final class WebhookSignature {

    /** Why a signature was refused; never includes secrets or expected digests. */
    public enum Verdict {
        VALID, MISSING, MALFORMED, STALE, MISMATCH
    }

    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    /** The header value for {@code body} signed at {@code timestamp} with {@code secret}. */
    public static String sign(String secret, Instant timestamp, String body) {
        long t = timestamp.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t, body));
    }

    public static Verdict verify(String header, String body, List<String> secrets, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) {
            return Verdict.MISSING;
        }
        Long timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Verdict.MALFORMED;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            try {
                if (name.equals("t")) {
                    timestamp = Long.parseLong(value);
                } else if (name.equals("v1")) {
                    candidates.add(HexFormat.of().parseHex(value));
                }
            } catch (IllegalArgumentException e) {
                return Verdict.MALFORMED;
            }
        }
        if (timestamp == null || candidates.isEmpty()) {
            return Verdict.MALFORMED;
        }
        long age = Math.abs(now.getEpochSecond() - timestamp);
        if (age > tolerance.toSeconds()) {
            return Verdict.STALE;
        }
        boolean match = false;
        for (String secret : secrets) {
            byte[] expected = hmac(secret, timestamp, body);
            for (byte[] candidate : candidates) {
                // Constant time: no early exit on the first matching byte or the first matching secret.
                match |= MessageDigest.isEqual(expected, candidate);
            }
        }
        return match ? Verdict.VALID : Verdict.MISMATCH;
    }

    private static byte[] hmac(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
