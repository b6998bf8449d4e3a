package dev.palisade.gateway.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.gateway.api.GatewayProblems;
import dev.palisade.gateway.client.EntitlementClient.ChannelSettings;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.messaging.GatewayEvents;
import dev.palisade.gateway.messaging.OriginFailover;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Chooses the origin that serves each channel and fetches from it. Every request tries the healthy origins in their
 * configured order (primary, backup, second CDN), then, as a last resort, the unhealthy ones; an error, a timeout
 * ({@code palisade.gateway.origin.playlist-timeout}) or a frozen playlist moves the same request on to the next origin, so
 * players see no error while one origin answers. Failures feed each origin's {@link OriginBreaker}; background probes
 * every {@code probe-interval} watch every origin of every channel watched recently and close breakers again
 * (fail-back). Each change of the serving origin is an {@code origin.failover} event and a metric.
 */
@ApplicationScoped
public class OriginRouter {

    private static final Logger LOG = Logger.getLogger(OriginRouter.class);

    /** What kind of object a fetch is for (metric label; media playlists are also checked for progress). */
    public enum Kind {
        MASTER, MEDIA, SEGMENT
    }

    /** A successful fetch: from which origin, the body. */
    public record Fetched(ChannelOrigins.Origin origin, Buffer body) {

        public String text() {
            return body.toString();
        }
    }

    private final GatewayConfig config;
    private final WebClient http;
    private final GatewayEvents events;
    private final GatewayMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, ChannelOrigins> channels = new ConcurrentHashMap<>();

    OriginRouter(GatewayConfig config, WebClient http, GatewayEvents events, GatewayMetrics metrics) {
        this.config = config;
        this.http = http;
        this.events = events;
        this.metrics = metrics;
    }

    /** The channel's origin state, created or brought in line with its current settings. */
    public ChannelOrigins channel(ChannelSettings settings) {
        ChannelOrigins current = channels.get(settings.id());
        if (current == null || !current.bases.equals(settings.origins())) {
            current = channels.compute(settings.id(), (id, existing) -> {
                if (existing != null && existing.bases.equals(settings.origins())) {
                    return existing;
                }
                List<ChannelOrigins.Origin> list = new ArrayList<>();
                for (String base : settings.origins()) {
                    ChannelOrigins.Origin kept = existing == null ? null
                            : existing.origins.stream().filter(o -> o.base.equals(base)).findFirst().orElse(null);
                    list.add(kept != null ? kept : newOrigin(id, base));
                }
                ChannelOrigins fresh = new ChannelOrigins(id, settings.origins(), List.copyOf(list));
                if (existing != null) {
                    fresh.probePath = existing.probePath;
                    fresh.targetDuration = existing.targetDuration;
                }
                return fresh;
            });
        }
        current.lastUsedMillis = clock.millis();
        return current;
    }

    private ChannelOrigins.Origin newOrigin(String channelId, String base) {
        ChannelOrigins.Origin origin = new ChannelOrigins.Origin(channelId, base, config.origin().failureThreshold(),
                config.origin().openFor().toMillis(), config.origin().recoveryProbes());
        Gauge.builder("palisade_origin_breaker_state", origin.breaker, b -> b.state().ordinal())
                .description("0 closed (serving), 1 open, 2 half-open (recovering)")
                .tags("channel", channelId, "origin", origin.name).register(metrics.registry());
        return origin;
    }

    /** A channel's state if known (tests, operators). */
    public ChannelOrigins known(String channelId) {
        return channels.get(channelId);
    }

    /** Fetches {@code relative} (resolved against each origin's base) with failover. */
    public Uni<Fetched> fetch(ChannelOrigins channel, String relative, Kind kind) {
        List<ChannelOrigins.Origin> order = new ArrayList<>();
        for (ChannelOrigins.Origin o : channel.origins) {
            if (o.breaker.healthy()) {
                order.add(o);
            }
        }
        for (ChannelOrigins.Origin o : channel.origins) {
            if (!o.breaker.healthy()) {
                order.add(o);
            }
        }
        return attempt(channel, order, 0, relative, kind, new Attempts());
    }

    /** What happened across origins during one fetch. */
    private static final class Attempts {
        boolean notFound;
        Fetched frozenFallback;
    }

    private Uni<Fetched> attempt(ChannelOrigins channel, List<ChannelOrigins.Origin> order, int index, String relative, Kind kind,
            Attempts attempts) {
        if (index >= order.size()) {
            if (attempts.frozenFallback != null) {
                return Uni.createFrom().item(attempts.frozenFallback);
            }
            if (attempts.notFound) {
                return Uni.createFrom().nullItem();
            }
            return Uni.createFrom().failure(GatewayProblems.originUnavailable(channel.channelId));
        }
        ChannelOrigins.Origin origin = order.get(index);
        long timeout = kind == Kind.SEGMENT ? config.origin().segmentTimeout().toMillis() : config.origin().playlistTimeout().toMillis();
        metrics.originFetch(origin.name, kind.name().toLowerCase());
        return http.getAbs(origin.base + relative).timeout(timeout).send()
                .onItemOrFailure().transformToUni((response, failure) -> {
                    long now = clock.millis();
                    if (failure != null) {
                        String reason = failure instanceof TimeoutException ? "timeout" : "error";
                        failed(channel, origin, reason, false, now);
                        return attempt(channel, order, index + 1, relative, kind, attempts);
                    }
                    if (response.statusCode() == 404) {
                        attempts.notFound = true;
                        return attempt(channel, order, index + 1, relative, kind, attempts);
                    }
                    if (response.statusCode() != 200) {
                        failed(channel, origin, "http_" + response.statusCode(), false, now);
                        return attempt(channel, order, index + 1, relative, kind, attempts);
                    }
                    Fetched fetched = new Fetched(origin, response.bodyAsBuffer() == null ? Buffer.buffer() : response.bodyAsBuffer());
                    if (kind == Kind.MEDIA) {
                        String verdict = observe(channel, origin, rendition(relative), fetched.text(), now);
                        if (verdict != null) {
                            failed(channel, origin, verdict, true, now);
                            if (attempts.frozenFallback == null) {
                                attempts.frozenFallback = fetched;
                            }
                            return attempt(channel, order, index + 1, relative, kind, attempts);
                        }
                    }
                    origin.breaker.success(false, now);
                    return Uni.createFrom().item(fetched);
                });
    }

    private static String rendition(String relative) {
        int slash = relative.indexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    /**
     * Records a media playlist's progress at an origin; answers why the origin must not serve ({@code frozen},
     * {@code unparseable}) or {@code null} when it may.
     */
    private String observe(ChannelOrigins channel, ChannelOrigins.Origin origin, String rendition, String text, long now) {
        MediaPlaylist playlist;
        try {
            playlist = MediaPlaylist.parse(text);
        } catch (RuntimeException e) {
            return "unparseable";
        }
        if (playlist.targetDuration() > 0) {
            channel.targetDuration = playlist.targetDuration();
        }
        long last = playlist.lastSequence();
        channel.edge.merge(rendition, last, Math::max);
        ChannelOrigins.Progress progress = origin.progress.computeIfAbsent(rendition, r -> new ChannelOrigins.Progress());
        progress.observe(last, now);
        if (playlist.trailer().isEmpty() && progress.frozen(now, frozenLimitMillis(channel))) {
            return "frozen";
        }
        return null;
    }

    private long frozenLimitMillis(ChannelOrigins channel) {
        return Math.round(channel.targetDuration * config.origin().frozenAfterTargetDurations() * 1000);
    }

    private void failed(ChannelOrigins channel, ChannelOrigins.Origin origin, String reason, boolean immediate, long now) {
        metrics.originError(origin.name, reason);
        origin.breaker.failure(reason, immediate, now);
        reselect(channel);
    }

    /** Makes the first healthy origin the serving one; a change is an event and a metric. */
    void reselect(ChannelOrigins channel) {
        OriginFailover event = null;
        synchronized (channel) {
            int preferred = -1;
            for (int i = 0; i < channel.origins.size(); i++) {
                if (channel.origins.get(i).breaker.healthy()) {
                    preferred = i;
                    break;
                }
            }
            if (preferred >= 0 && preferred != channel.active) {
                ChannelOrigins.Origin from = channel.origins.get(channel.active);
                ChannelOrigins.Origin to = channel.origins.get(preferred);
                String reason = preferred < channel.active ? "recovered" : from.breaker.lastReason();
                channel.active = preferred;
                event = new OriginFailover(channel.channelId, from.base, to.base, reason, Instant.now(clock).toString());
                metrics.originSwitch(channel.channelId, from.name, to.name, reason);
            }
        }
        if (event != null) {
            LOG.infof("Channel %s now served from %s (was %s): %s", event.channelId(), event.to(), event.from(), event.reason());
            events.publish(event.channelId(), "origin.failover", event);
        }
    }

    /** Remembers which media playlist probes should watch. */
    public void learnProbePath(ChannelOrigins channel, String relative) {
        if (channel.probePath == null) {
            channel.probePath = relative;
        }
    }

    @Scheduled(every = "${palisade.gateway.origin.probe-interval}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void probeAll() {
        long now = clock.millis();
        long idle = config.origin().idleAfter().toMillis();
        for (ChannelOrigins channel : channels.values()) {
            if (now - channel.lastUsedMillis > idle) {
                continue;
            }
            for (ChannelOrigins.Origin origin : channel.origins) {
                if (origin.probing.compareAndSet(false, true)) {
                    probe(channel, origin).subscribe().with(v -> origin.probing.set(false), e -> origin.probing.set(false));
                }
            }
        }
    }

    /** One probe: the watched media playlist must answer, parse, advance and not lag behind the other origins. */
    Uni<Void> probe(ChannelOrigins channel, ChannelOrigins.Origin origin) {
        String path = channel.probePath == null ? "master.m3u8" : channel.probePath;
        metrics.originFetch(origin.name, "probe");
        return http.getAbs(origin.base + path).timeout(config.origin().playlistTimeout().toMillis()).send()
                .onItemOrFailure().invoke((response, failure) -> {
                    long now = clock.millis();
                    String verdict = probeVerdict(channel, origin, path, response, failure, now);
                    if (verdict == null) {
                        origin.breaker.success(true, now);
                    } else {
                        metrics.originError(origin.name, verdict);
                        origin.breaker.failure(verdict, "frozen".equals(verdict), now);
                    }
                    reselect(channel);
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private String probeVerdict(ChannelOrigins channel, ChannelOrigins.Origin origin, String path, HttpResponse<Buffer> response,
            Throwable failure, long now) {
        if (failure != null) {
            return failure instanceof TimeoutException ? "timeout" : "error";
        }
        if (response.statusCode() != 200) {
            return "http_" + response.statusCode();
        }
        if (channel.probePath == null) {
            return null;
        }
        String rendition = rendition(path);
        String verdict = observe(channel, origin, rendition, response.bodyAsString(), now);
        if (verdict != null) {
            return verdict;
        }
        Long edge = channel.edge.get(rendition);
        ChannelOrigins.Progress progress = origin.progress.get(rendition);
        if (edge != null && progress != null && progress.lastSequence() < edge - 1) {
            return "behind";
        }
        return null;
    }
}
