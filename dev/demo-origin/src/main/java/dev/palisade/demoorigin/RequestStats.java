package dev.palisade.demoorigin;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters of one origin, for tests that check what reached the origin (e.g. that a gateway coalesces
 * concurrent fetches of a segment into one). Exposed as JSON on {@code GET /control/stats}.
 */
public final class RequestStats {

    /** At most this many distinct segment paths are remembered (the oldest are forgotten first). */
    static final int MAX_SEGMENT_PATHS = 4096;

    private final Map<PathKind, LongAdder> requests = new EnumMap<>(PathKind.class);
    private final LongAdder unavailable = new LongAdder();
    private final Map<String, Long> segmentFetches = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_SEGMENT_PATHS;
        }
    };

    RequestStats() {
        for (PathKind kind : PathKind.values()) {
            requests.put(kind, new LongAdder());
        }
    }

    void count(PathKind kind) {
        requests.get(kind).increment();
    }

    void countUnavailable() {
        unavailable.increment();
    }

    void countSegmentFetch(String path) {
        synchronized (segmentFetches) {
            segmentFetches.merge(path, 1L, Long::sum);
        }
    }

    /** Requests of that kind, whatever the method and the answer. */
    public long requests(PathKind kind) {
        return requests.get(kind).sum();
    }

    /** Requests answered 503 because the origin was down. */
    public long unavailable() {
        return unavailable.sum();
    }

    /** Successful GETs of exactly that segment path, e.g. {@code /demo/180p/B/seg-881234.ts}. */
    public long segmentFetches(String path) {
        synchronized (segmentFetches) {
            return segmentFetches.getOrDefault(path, 0L);
        }
    }

    /** Successful GETs per segment path. */
    public Map<String, Long> segmentFetches() {
        synchronized (segmentFetches) {
            return Map.copyOf(segmentFetches);
        }
    }

    /** Forgets all counts. */
    public void reset() {
        requests.values().forEach(LongAdder::reset);
        unavailable.reset();
        synchronized (segmentFetches) {
            segmentFetches.clear();
        }
    }

    String toJson(String name, boolean down, boolean frozen, long liveEdge) {
        StringBuilder json = new StringBuilder(256)
                .append("{\"name\":").append(jsonString(name))
                .append(",\"down\":").append(down)
                .append(",\"frozen\":").append(frozen)
                .append(",\"liveEdge\":").append(liveEdge)
                .append(",\"requests\":{");
        String sep = "";
        for (PathKind kind : PathKind.values()) {
            json.append(sep).append('"').append(kind.jsonName()).append("\":").append(requests(kind));
            sep = ",";
        }
        json.append("},\"unavailable\":").append(unavailable()).append(",\"segmentFetches\":{");
        sep = "";
        synchronized (segmentFetches) {
            for (Map.Entry<String, Long> e : segmentFetches.entrySet()) {
                json.append(sep).append(jsonString(e.getKey())).append(':').append(e.getValue());
                sep = ",";
            }
        }
        return json.append("}}").toString();
    }

    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
