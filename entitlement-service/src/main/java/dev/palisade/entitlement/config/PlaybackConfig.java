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
}
