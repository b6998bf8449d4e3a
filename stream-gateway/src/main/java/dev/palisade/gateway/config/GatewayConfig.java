package dev.palisade.gateway.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The player-facing edge: where its dependencies are, how long things live, how hard it protects itself. */
@ConfigMapping(prefix = "palisade.gateway")
public interface GatewayConfig {

    /** entitlement-service base URL: playback key set, channel delivery settings, content keys. */
    @WithDefault("http://127.0.0.1:8083")
    String entitlementUrl();

    /** Expected {@code iss} of playback tokens; entitlement-service's base URL when absent. */
    Optional<String> playbackIssuer();

    /** OAuth2 client id of the gateway at auth-service (client-credentials grant, role {@code service}). */
    @WithDefault("stream-gateway")
    String clientId();

    /** Its client secret ({@code PALISADE_GATEWAY_CLIENT_SECRET}); internal calls go out unauthenticated without it. */
    Optional<String> clientSecret();

    /** auth-service's token endpoint. */
    @WithDefault("http://127.0.0.1:8081/oauth2/token")
    String tokenUrl();

    /**
     * Base64 HMAC-SHA256 key that signs segment URLs; every replica must share it. When absent a random key is made at
     * start (fine for one instance; URLs then do not survive a restart or cross replicas).
     */
    Optional<String> urlSigningKey();

    /** Allowed clock difference with entitlement-service for {@code iat}/{@code exp}. */
    @WithDefault("30s")
    Duration clockSkew();

    /** Honour {@code X-Forwarded-For} (the left-most address) for the client IP: only behind a trusted proxy. */
    @WithDefault("false")
    boolean trustForwardedFor();

    /** How long channel delivery settings (ordered origins, key period) are reused before asking again. */
    @WithDefault("30s")
    Duration channelTtl();

    /** Timeout of calls to entitlement-service and auth-service. */
    @WithDefault("3s")
    Duration internalTimeout();

    Jwks jwks();

    Origin origin();

    Cache cache();

    Watermark watermark();

    Revocation revocation();

    RateLimit rateLimit();

    Cmcd cmcd();

    Restream restream();

    interface Jwks {
        /** Regular re-fetch of the playback key set. */
        @WithDefault("5m")
        Duration refreshInterval();

        /** A token with an unknown {@code kid} triggers a re-fetch at most this often. */
        @WithDefault("10s")
        Duration minRefreshInterval();
    }

    interface Origin {
        /** Background probe of every origin of every channel watched recently. */
        @WithDefault("1s")
        Duration probeInterval();

        /** Timeout of a probe and of a playlist fetch on the player's path (keep it under one target duration). */
        @WithDefault("1s")
        Duration playlistTimeout();

        /** Timeout of a segment fetch on the player's path. */
        @WithDefault("3s")
        Duration segmentTimeout();

        /** Consecutive failures (errors, timeouts) that open an origin's circuit breaker. */
        @WithDefault("2")
        int failureThreshold();

        /** How long an open breaker stays open before probes may close it again. */
        @WithDefault("2s")
        Duration openFor();

        /** Consecutive good probes (answering, advancing) that close a breaker again: fail-back. */
        @WithDefault("2")
        int recoveryProbes();

        /** A playlist whose media sequence has not advanced for this many target durations is frozen. */
        @WithDefault("1.5")
        double frozenAfterTargetDurations();

        /** A channel no player asked for during this long is no longer probed. */
        @WithDefault("5m")
        Duration idleAfter();
    }

    interface Cache {
        /** Bytes of (encrypted) segments held in memory. */
        @WithDefault("268435456")
        long segmentBytes();

        /** How long a segment stays cached. */
        @WithDefault("60s")
        Duration segmentTtl();

        /** How long an origin media playlist is reused (well under a target duration). */
        @WithDefault("500ms")
        Duration playlistTtl();

        /** How long an origin multivariant playlist is reused. */
        @WithDefault("10s")
        Duration masterTtl();
    }

    interface Watermark {
        /** HMAC key of the A/B patterns ({@code PALISADE_WATERMARK_SECRET}); random per start when absent. */
        Optional<String> secret();

        /** Segment fingerprints (SHA-256 of A and B) kept for the detector. */
        @WithDefault("200000")
        int fingerprints();
    }

    interface Revocation {
        /** How long a revoked session stays refused: longer than any token or segment URL lives. */
        @WithDefault("10m")
        Duration retention();

        /** On start, read {@code entitlement.events} back this far. */
        @WithDefault("5m")
        Duration rewind();

        /** Most revoked sessions kept. */
        @WithDefault("1000000")
        int maxEntries();

        /** Most started sessions kept as watermark-detector candidates. */
        @WithDefault("500000")
        int maxSessions();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Requests per second a playback session may sustain. */
        @WithDefault("10")
        double sessionPerSecond();

        /** Burst a playback session may make. */
        @WithDefault("40")
        int sessionBurst();

        /** Requests per second one client IP may sustain (all its sessions). */
        @WithDefault("100")
        double ipPerSecond();

        @WithDefault("400")
        int ipBurst();
    }

    interface Cmcd {
        /** qoe.sample aggregation interval per channel. */
        @WithDefault("10s")
        Duration interval();

        /** Raw CMCD samples carried in each qoe.sample. */
        @WithDefault("5")
        int samplesPerEvent();
    }

    interface Restream {
        /** Sliding window the signals look at. */
        @WithDefault("30s")
        Duration window();

        /**
         * Segments of each of two renditions within the window that count as pulling several renditions (above what a
         * real-time player can fetch across renditions: window / target duration / 2).
         */
        @WithDefault("8")
        int segmentsPerRendition();

        /** Media seconds fetched per wall-clock second (over the window) above which a session is ahead of real time. */
        @WithDefault("2.0")
        double realtimeFactor();

        /** A session is reported for the same signal at most once per this period. */
        @WithDefault("5m")
        Duration cooldown();
    }
}
