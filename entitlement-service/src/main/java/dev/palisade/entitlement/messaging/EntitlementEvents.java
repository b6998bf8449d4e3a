package dev.palisade.entitlement.messaging;

import java.time.Instant;
import java.util.List;

/** Payloads of {@code entitlement.events}, keyed by account id. */
public final class EntitlementEvents {

    public static final String GRANTED = "entitlement.granted";
    public static final String REVOKED = "entitlement.revoked";
    public static final String PLAYBACK_STARTED = "playback.started";
    public static final String PLAYBACK_DENIED = "playback.denied";
    public static final String PLAYBACK_ENDED = "playback.ended";
    /** A session ended by the platform (eviction, entitlement loss, operator, security action): gateways refuse it. */
    public static final String PLAYBACK_REVOKED = "playback.revoked";

    private EntitlementEvents() {
    }

    public record EntitlementChanged(String accountId, String planId, List<String> packages, int maxStreams, String overflowPolicy,
            String source, Instant at) {
    }

    public record PlaybackStarted(String accountId, String sessionId, String channelId, String deviceId, String clientIp,
            long watermarkId, Instant at) {
    }

    public record PlaybackDenied(String accountId, String channelId, String reason, String deviceId, String clientIp, Instant at) {
    }

    public record PlaybackEnded(String accountId, String sessionId, String channelId, String reason, Instant at) {
    }
}
