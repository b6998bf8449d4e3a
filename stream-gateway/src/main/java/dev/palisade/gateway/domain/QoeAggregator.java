package dev.palisade.gateway.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.messaging.GatewayEvents;
import dev.palisade.gateway.messaging.QoeSample;
import io.quarkus.scheduler.Scheduled;

/**
 * Aggregates CMCD from player requests per channel and publishes a {@code qoe.sample} per channel per interval
 * ({@code palisade.gateway.cmcd.interval}) with counts, start-ups and start-up time, buffer starvations ({@code bs}),
 * bitrate ({@code br}), throughput ({@code mtp}) and buffer length ({@code bl}) percentiles, errors, and a few raw
 * samples. Memory per channel is bounded.
 */
@ApplicationScoped
public class QoeAggregator {

    private static final int MAX_VALUES = 2_000;
    private static final int MAX_SESSIONS = 20_000;

    private static final class Window {
        final Instant from;
        long requests;
        long cmcdRequests;
        long startups;
        long starvations;
        long errors;
        final Set<String> sessions = new HashSet<>();
        final List<Double> startupMs = new ArrayList<>();
        final List<Double> bitrate = new ArrayList<>();
        final List<Double> throughput = new ArrayList<>();
        final List<Double> buffer = new ArrayList<>();
        final List<Map<String, String>> samples = new ArrayList<>();

        Window(Instant from) {
            this.from = from;
        }
    }

    private final GatewayEvents events;
    private final int samplesPerEvent;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Cache<String, Long> firstRequest = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(2))
            .maximumSize(500_000).build();

    QoeAggregator(GatewayEvents events, GatewayConfig config) {
        this.events = events;
        this.samplesPerEvent = config.cmcd().samplesPerEvent();
    }

    /** A player's request (playlist or segment) with its CMCD data (possibly empty). */
    public void request(String channelId, String sessionId, Map<String, String> cmcd, boolean segment) {
        long now = clock.millis();
        Long started = null;
        if (!segment) {
            firstRequest.asMap().putIfAbsent(sessionId, now);
        } else {
            started = firstRequest.asMap().remove(sessionId);
        }
        Window w = windows.computeIfAbsent(channelId, c -> new Window(clock.instant()));
        synchronized (w) {
            w.requests++;
            if (w.sessions.size() < MAX_SESSIONS) {
                w.sessions.add(sessionId);
            }
            if (started != null) {
                add(w.startupMs, now - started);
            }
            if (cmcd.isEmpty()) {
                return;
            }
            w.cmcdRequests++;
            if (cmcd.containsKey("su")) {
                w.startups++;
            }
            if (cmcd.containsKey("bs")) {
                w.starvations++;
            }
            add(w.bitrate, Cmcd.number(cmcd, "br"));
            add(w.throughput, Cmcd.number(cmcd, "mtp"));
            add(w.buffer, Cmcd.number(cmcd, "bl"));
            if (w.samples.size() < samplesPerEvent) {
                w.samples.add(Map.copyOf(cmcd));
            }
        }
    }

    /** A request of the channel answered with an error. */
    public void error(String channelId) {
        Window w = windows.computeIfAbsent(channelId, c -> new Window(clock.instant()));
        synchronized (w) {
            w.errors++;
        }
    }

    private static void add(List<Double> values, Number value) {
        if (value != null && values.size() < MAX_VALUES) {
            values.add(value.doubleValue());
        }
    }

    @Scheduled(every = "${palisade.gateway.cmcd.interval}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void flush() {
        Instant to = clock.instant();
        for (String channelId : List.copyOf(windows.keySet())) {
            Window w = windows.remove(channelId);
            if (w == null) {
                continue;
            }
            QoeSample sample;
            synchronized (w) {
                sample = new QoeSample(channelId, w.from.toString(), to.toString(), w.requests, w.cmcdRequests, w.sessions.size(),
                        w.startups, distribution(w.startupMs), w.starvations, distribution(w.bitrate), distribution(w.throughput),
                        distribution(w.buffer), w.errors, List.copyOf(w.samples), to.toString());
            }
            events.publish(channelId, "qoe.sample", sample);
        }
    }

    static QoeSample.Distribution distribution(List<Double> values) {
        if (values.isEmpty()) {
            return new QoeSample.Distribution(0, null, null, null);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new QoeSample.Distribution(sorted.size(), pick(sorted, 0.1), pick(sorted, 0.5), pick(sorted, 0.9));
    }

    private static Double pick(List<Double> sorted, double q) {
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
