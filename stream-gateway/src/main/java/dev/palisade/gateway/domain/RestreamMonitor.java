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

    /**
     * A session's fetches within the window, with running totals so each request costs O(1) amortised, however fast a
     * client pulls (a restreamer pulling thousands of segments must not make the check itself expensive).
     */
    private static final class Activity {
        static final int MAX_FETCHES = 4096;
        final ArrayDeque<Fetch> fetches = new ArrayDeque<>();
        final Map<String, Integer> perRendition = new HashMap<>();
        double media;
        final Map<String, Long> reported = new HashMap<>();

        void add(Fetch f) {
            fetches.addLast(f);
            perRendition.merge(f.rendition(), 1, Integer::sum);
            media += f.seconds();
        }

        void removeOldest() {
            Fetch f = fetches.removeFirst();
            perRendition.computeIfPresent(f.rendition(), (r, n) -> n <= 1 ? null : n - 1);
            media -= f.seconds();
        }
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
            activity.add(new Fetch(now, rendition, segmentSeconds));
            while (!activity.fetches.isEmpty()
                    && (now - activity.fetches.peekFirst().atMillis() > window || activity.fetches.size() > Activity.MAX_FETCHES)) {
                activity.removeOldest();
            }
            Map<String, Integer> perRendition = activity.perRendition;
            double media = activity.media;
            int busy = 0;
            for (int n : perRendition.values()) {
                if (n >= config.segmentsPerRendition()) {
                    busy++;
                }
            }
            double allowance = config.realtimeFactor() * window / 1000.0 + 4 * segmentSeconds;
            if (busy >= 2) {
                signal = "multiple_renditions";
                detail = "segments per rendition in the last " + window / 1000 + " s: " + new TreeMap<>(perRendition);
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
