package dev.palisade.entitlement.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Playback sessions: how long one lives without a heartbeat, and how often clients should send one. */
@ConfigMapping(prefix = "palisade.playback")
public interface PlaybackConfig {

    /** A session without a heartbeat for this long ends (and stops counting against the limit). */
    @WithDefault("90S")
    Duration sessionTtl();

    /** What clients are told: send a heartbeat this often (well inside the TTL). */
    @WithDefault("30S")
    Duration heartbeatInterval();

    /** How often silent sessions are ended and reported. */
    @WithDefault("10s")
    String expirySweep();

    /** Lifetime of a playback token (at most 2 minutes); heartbeats hand out fresh ones. */
    @WithDefault("2M")
    Duration tokenTtl();

    /** {@code iss} of playback tokens: this service's public URL. */
    @WithDefault("http://127.0.0.1:8083")
    String issuer();

    /** Where players fetch streams: stream-gateway's public URL. */
    @WithDefault("http://127.0.0.1:8084")
    String gatewayUrl();

    /** Bind tokens to the client's network (/24, /64): a token replayed from elsewhere is refused by the gateway. */
    @WithDefault("false")
    boolean bindNetwork();

    /** How long a playback signing key signs before the next one takes over. */
    @WithDefault("7D")
    Duration signingKeyRotation();
}
