package dev.palisade.gateway.domain;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.palisade.gateway.api.GatewayProblems;
import dev.palisade.gateway.config.GatewayConfig;

/**
 * Token buckets per playback session and per client IP ({@code palisade.gateway.rate-limit.*}). A request takes one
 * token from both; an empty bucket answers 429 with {@code Retry-After}. Idle buckets are forgotten.
 */
@ApplicationScoped
public class RateLimiter {

    static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.lastNanos = now;
        }

        /** 0 when a token was taken, else the seconds until one is available. */
        synchronized long take(double perSecond, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
            lastNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }

    private final GatewayConfig.RateLimit config;
    private final GatewayMetrics metrics;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(5))
            .maximumSize(2_000_000).build();

    RateLimiter(GatewayConfig config, GatewayMetrics metrics) {
        this.config = config.rateLimit();
        this.metrics = metrics;
    }

    /** Takes a token for the session and for the IP, or throws a 429 problem. */
    public void check(String sessionId, String ip) {
        if (!config.enabled()) {
            return;
        }
        long now = System.nanoTime();
        if (sessionId != null) {
            long wait = buckets.get("s:" + sessionId, k -> new Bucket(config.sessionBurst(), now))
                    .take(config.sessionPerSecond(), config.sessionBurst(), now);
            if (wait > 0) {
                metrics.rateLimited("session");
                throw GatewayProblems.rateLimited("session", wait);
            }
        }
        if (ip != null) {
            long wait = buckets.get("i:" + ip, k -> new Bucket(config.ipBurst(), now)).take(config.ipPerSecond(), config.ipBurst(), now);
            if (wait > 0) {
                metrics.rateLimited("ip");
                throw GatewayProblems.rateLimited("client IP", wait);
            }
        }
    }
}
