package dev.palisade.gateway.security;

/**
 * What a verified playback token grants: one session of one account on one channel path, until {@code expiresAt}
 * (epoch seconds), optionally only from {@code network} (CIDR).
 */
public record PlaybackClaims(String accountId, String sessionId, String channelId, String path, long watermarkId,
        String network, long expiresAt, String token) {
}
