package dev.palisade.gateway.domain;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The ordered origins of one channel, their breakers and playlist progress, and which one serves players now. */
public final class ChannelOrigins {

    /** One origin of the channel. */
    public static final class Origin {
        final String base;
        final String name;
        final OriginBreaker breaker;
        final AtomicBoolean probing = new AtomicBoolean();
        /** rendition → progress of its media playlist at this origin. */
        final Map<String, Progress> progress = new ConcurrentHashMap<>();

        Origin(String channelId, String base, int threshold, long openForMillis, int recoveryProbes) {
            this.base = base;
            URI uri = URI.create(base);
            this.name = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath();
            this.breaker = new OriginBreaker(channelId + "/" + name, threshold, openForMillis, recoveryProbes);
        }

        public String base() {
            return base;
        }

        public String name() {
            return name;
        }

        public OriginBreaker breaker() {
            return breaker;
        }
    }

    /** When a media playlist's sequence last advanced. */
    static final class Progress {
        long lastSequence = -1;
        long lastAdvanceMillis;

        synchronized void observe(long sequence, long now) {
            if (sequence != lastSequence) {
                lastSequence = sequence;
                lastAdvanceMillis = now;
            }
        }

        synchronized boolean frozen(long now, long limitMillis) {
            return lastSequence >= 0 && now - lastAdvanceMillis > limitMillis;
        }

        synchronized long lastSequence() {
            return lastSequence;
        }
    }

    final String channelId;
    final List<String> bases;
    final List<Origin> origins;
    volatile int active;
    volatile long lastUsedMillis;
    volatile double targetDuration = 2;
    /** The media playlist the probes watch ({@code rendition/name.m3u8}), learned from the multivariant playlist. */
    volatile String probePath;
    /** rendition → highest media sequence seen at any origin. */
    final Map<String, Long> edge = new ConcurrentHashMap<>();

    ChannelOrigins(String channelId, List<String> bases, List<Origin> origins) {
        this.channelId = channelId;
        this.bases = bases;
        this.origins = origins;
    }

    public String channelId() {
        return channelId;
    }

    public List<Origin> origins() {
        return origins;
    }

    public Origin active() {
        return origins.get(active);
    }

    public double targetDuration() {
        return targetDuration;
    }
}
