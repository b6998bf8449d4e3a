package dev.palisade.gateway.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An HLS media playlist as an origin serves it: global tags, media sequence, target duration, and segments with the
 * tags that precede each one. Origin {@code EXT-X-KEY} and {@code EXT-X-MAP} tags are dropped (the gateway encrypts
 * MPEG-TS segments itself). Each segment knows its wall-clock time: its {@code EXT-X-PROGRAM-DATE-TIME}, or the
 * previous one's plus its duration, or none.
 */
public record MediaPlaylist(int version, List<String> header, long mediaSequence, double targetDuration, List<Segment> segments,
        List<String> trailer) {

    /** One segment: media sequence number, duration (s), the origin's URI, its program date-time if known. */
    public record Segment(long sequence, double duration, String uri, Instant programDateTime, List<String> tags, String extinf) {
    }

    private static final Set<String> GLOBAL = Set.of("#EXT-X-TARGETDURATION", "#EXT-X-MEDIA-SEQUENCE",
            "#EXT-X-DISCONTINUITY-SEQUENCE", "#EXT-X-PLAYLIST-TYPE", "#EXT-X-INDEPENDENT-SEGMENTS", "#EXT-X-START",
            "#EXT-X-ALLOW-CACHE", "#EXT-X-SERVER-CONTROL");

    public static MediaPlaylist parse(String text) {
        int version = 3;
        List<String> header = new ArrayList<>();
        List<String> trailer = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        long mediaSequence = 0;
        double targetDuration = 0;
        List<String> pending = new ArrayList<>();
        String extinf = null;
        double duration = 0;
        Instant pendingTime = null;
        Instant nextTime = null;
        boolean sawHeader = false;
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#EXTM3U")) {
                sawHeader = true;
                continue;
            }
            if (!line.startsWith("#")) {
                Instant time = pendingTime != null ? pendingTime : nextTime;
                long sequence = mediaSequence + segments.size();
                segments.add(new Segment(sequence, duration, line, time, List.copyOf(pending),
                        extinf == null ? "#EXTINF:" + duration + "," : extinf));
                nextTime = time == null ? null : time.plusMillis(Math.round(duration * 1000));
                pending.clear();
                extinf = null;
                duration = 0;
                pendingTime = null;
                continue;
            }
            int colon = line.indexOf(':');
            String tag = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            switch (tag) {
                case "#EXT-X-VERSION" -> version = Math.max(version, parseInt(value, 3));
                case "#EXT-X-KEY", "#EXT-X-MAP", "#EXT-X-SESSION-KEY" -> {
                    // Dropped: the gateway writes its own keys.
                }
                case "#EXT-X-ENDLIST" -> trailer.add(line);
                case "#EXTINF" -> {
                    extinf = line;
                    int comma = value.indexOf(',');
                    duration = parseDouble(comma < 0 ? value : value.substring(0, comma));
                }
                case "#EXT-X-PROGRAM-DATE-TIME" -> {
                    pending.add(line);
                    try {
                        pendingTime = OffsetDateTime.parse(value).toInstant();
                    } catch (DateTimeParseException e) {
                        pendingTime = null;
                    }
                }
                default -> {
                    if (GLOBAL.contains(tag)) {
                        if ("#EXT-X-TARGETDURATION".equals(tag)) {
                            targetDuration = parseDouble(value);
                        } else if ("#EXT-X-MEDIA-SEQUENCE".equals(tag)) {
                            mediaSequence = parseLong(value);
                        }
                        header.add(line);
                    } else {
                        pending.add(line);
                    }
                }
            }
        }
        if (!sawHeader) {
            throw new IllegalArgumentException("not an HLS playlist");
        }
        return new MediaPlaylist(version, List.copyOf(header), mediaSequence, targetDuration, List.copyOf(segments),
                List.copyOf(trailer));
    }

    /** The highest media sequence number listed (the live edge), or the media sequence when empty. */
    public long lastSequence() {
        return segments.isEmpty() ? mediaSequence : segments.get(segments.size() - 1).sequence();
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
