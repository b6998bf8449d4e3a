package dev.palisade.gateway.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.palisade.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;

/**
 * What the gateway knows about playback sessions beyond their tokens: the revocation set (from {@code playback.revoked}
 * and {@code playback.ended} on {@code entitlement.events}; an entry outlives any token or segment URL of the session,
 * {@code palisade.gateway.revocation.retention}, and the set is bounded), and the sessions seen starting (from
 * {@code playback.started} and from the tokens players present), the watermark detector's candidates.
 */
@ApplicationScoped
public class PlaybackSessions {

    /** A session the detector may name. */
    public record SessionInfo(String sessionId, String accountId, String channelId, long watermarkId, Instant startedAt) {
    }

    private final Cache<String, Instant> revoked;
    private final Cache<String, SessionInfo> started;
    private final Clock clock = Clock.systemUTC();

    PlaybackSessions(GatewayConfig config, GatewayMetrics metrics) {
        Duration retention = config.revocation().retention();
        this.revoked = Caffeine.newBuilder().expireAfterWrite(retention).maximumSize(config.revocation().maxEntries()).build();
        this.started = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(12)).maximumSize(config.revocation().maxSessions())
                .build();
        Gauge.builder("palisade_gateway_revoked_sessions", revoked, Cache::estimatedSize).register(metrics.registry());
        Gauge.builder("palisade_gateway_known_sessions", started, Cache::estimatedSize).register(metrics.registry());
    }

    public void revoke(String sessionId) {
        revoked.put(sessionId, clock.instant());
    }

    public boolean isRevoked(String sessionId) {
        return revoked.getIfPresent(sessionId) != null;
    }

    /** Remembers a session (first sighting wins the start time). */
    public void started(SessionInfo info) {
        started.asMap().putIfAbsent(info.sessionId(), info);
    }

    public SessionInfo session(String sessionId) {
        return started.getIfPresent(sessionId);
    }

    /** Known sessions of a channel (all channels when {@code channelId} is null). */
    public List<SessionInfo> sessions(String channelId) {
        List<SessionInfo> list = new ArrayList<>();
        for (Map.Entry<String, SessionInfo> e : started.asMap().entrySet()) {
            if (channelId == null || channelId.equals(e.getValue().channelId())) {
                list.add(e.getValue());
            }
        }
        return list;
    }

    Map<String, SessionInfo> view() {
        return new ConcurrentHashMap<>(started.asMap());
    }
}
