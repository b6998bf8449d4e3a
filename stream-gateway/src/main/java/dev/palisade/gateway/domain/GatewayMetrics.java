package dev.palisade.gateway.domain;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The gateway's Prometheus metrics, named in domain words. */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter coalesced;
    private final Counter playlistHits;
    private final Counter playlistMisses;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.cacheHits = registry.counter("palisade_gateway_cache_hits_total", "kind", "segment");
        this.cacheMisses = registry.counter("palisade_gateway_cache_misses_total", "kind", "segment");
        this.playlistHits = registry.counter("palisade_gateway_cache_hits_total", "kind", "playlist");
        this.playlistMisses = registry.counter("palisade_gateway_cache_misses_total", "kind", "playlist");
        this.coalesced = registry.counter("palisade_gateway_coalesced_requests_total");
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void originSwitch(String channel, String from, String to, String reason) {
        registry.counter("palisade_origin_failovers_total", "channel", channel, "from", from, "to", to, "reason", reason).increment();
    }

    public void originFetch(String origin, String kind) {
        registry.counter("palisade_origin_fetches_total", "origin", origin, "kind", kind).increment();
    }

    public void originError(String origin, String reason) {
        registry.counter("palisade_origin_fetch_errors_total", "origin", origin, "reason", reason).increment();
    }

    public void segmentHit() {
        cacheHits.increment();
    }

    public void segmentMiss() {
        cacheMisses.increment();
    }

    public void playlistHit() {
        playlistHits.increment();
    }

    public void playlistMiss() {
        playlistMisses.increment();
    }

    public void coalesced() {
        coalesced.increment();
    }

    public void refused(String reason) {
        registry.counter("palisade_gateway_refusals_total", "reason", reason).increment();
    }

    public void rateLimited(String scope) {
        registry.counter("palisade_gateway_rate_limited_total", "scope", scope).increment();
    }

    public void restreamSignal(String signal) {
        registry.counter("palisade_gateway_restream_signals_total", "signal", signal).increment();
    }
}
