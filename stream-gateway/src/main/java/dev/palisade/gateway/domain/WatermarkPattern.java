package dev.palisade.gateway.domain;

import java.nio.ByteBuffer;

import javax.crypto.Mac;

import dev.palisade.gateway.security.HmacSha256;

/**
 * The A/B forensic watermark pattern: for watermark id {@code w} and media sequence {@code n}, the session is served
 * variant {@code B} when the low bit of the first byte of HMAC-SHA256(secret, w ‖ n) (both as 8-byte big-endian) is 1,
 * else {@code A}. Without the secret the pattern looks random; with it, every segment a pirate restreams is one bit of
 * evidence about which session it came from.
 */
public final class WatermarkPattern {

    private final ThreadLocal<Mac> macs;

    public WatermarkPattern(byte[] secret) {
        this.macs = HmacSha256.perThread(secret);
    }

    /** The pattern bit: {@code true} means variant B. */
    public boolean bit(long watermarkId, long sequence) {
        Mac mac = macs.get();
        byte[] input = ByteBuffer.allocate(16).putLong(watermarkId).putLong(sequence).array();
        return (mac.doFinal(input)[0] & 1) == 1;
    }

    /** The variant letter for a segment: {@code "A"} or {@code "B"}. */
    public String variant(long watermarkId, long sequence) {
        return bit(watermarkId, sequence) ? "B" : "A";
    }
}
