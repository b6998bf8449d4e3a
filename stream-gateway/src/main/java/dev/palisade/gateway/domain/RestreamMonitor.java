package dev.palisade.gateway.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.messaging.GatewayEvents;
import dev.palisade.gateway.messaging.RestreamSuspected;

/**
 * Signals that a playback session feeds a restream, published as {@code restream.suspected} for monitor-service (which
 * decides): {@code multiple_renditions} (a session pulling segments of two or more renditions continuously, as a
 * transcoder re-publishing every rendition does; a player switching bitrates fetches one at a time) and
 * {@code faster_than_realtime} (more media seconds fetched in the window than {@code realtime-factor} × the window plus a
 * start-up buffer, as several servers sharing one session do). Fetching ahead of the live edge is impossible: segment
 * URLs are only valid as the gateway signed them from the origin's playlist.
 */
@ApplicationScoped
public class RestreamMonitor {

    private record Fetch(long atMillis, String rendition, double seconds) {
    }

    private static final class Activity {
        final ArrayDeque<Fetch> fetches = new ArrayDeque<>();
        final Map<String, Long> reported = new HashMap<>();
    }

    private final GatewayConfig.Restream config;
    private final GatewayEvents events;
    private final GatewayMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final Cache<String, Activity> sessions = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(1_000_000).build();

    RestreamMonitor(GatewayConfig config, GatewayEvents events, GatewayMetrics metrics) {
        this.config = config.restream();
        this.events = events;
        this.metrics = metrics;
    }

    public void segment(String sessionId, String accountId, String channelId, String rendition, double segmentSeconds) {
        long now = clock.millis();
        long window = config.window().toMillis();
        Activity activity = sessions.get(sessionId, k -> new Activity());
        String signal = null;
        String detail = null;
        synchronized (activity) {
            activity.fetches.addLast(new Fetch(now, rendition, segmentSeconds));
            while (!activity.fetches.isEmpty() && now - activity.fetches.peekFirst().atMillis() > window) {
                activity.fetches.removeFirst();
            }
            Map<String, Integer> perRendition = new TreeMap<>();
            double media = 0;
            for (Fetch f : activity.fetches) {
                perRendition.merge(f.rendition(), 1, Integer::sum);
                media += f.seconds();
            }
            long busy = perRendition.values().stream().filter(n -> n >= config.segmentsPerRendition()).count();
            double allowance = config.realtimeFactor() * window / 1000.0 + 4 * segmentSeconds;
            if (busy >= 2) {
                signal = "multiple_renditions";
                detail = "segments per rendition in the last " + window / 1000 + " s: " + perRendition;
            } else if (media > allowance) {
                signal = "faster_than_realtime";
                detail = String.format("%.0f s of media fetched in the last %d s", media, window / 1000);
            }
            if (signal != null) {
                Long last = activity.reported.get(signal);
                if (last != null && now - last < config.cooldown().toMillis()) {
                    signal = null;
                } else {
                    activity.reported.put(signal, now);
                }
            }
        }
        if (signal != null) {
            metrics.restreamSignal(signal);
            events.publish(channelId, "restream.suspected",
                    new RestreamSuspected(sessionId, accountId, channelId, signal, detail, Instant.ofEpochMilli(now).toString()));
        }
    }
}
