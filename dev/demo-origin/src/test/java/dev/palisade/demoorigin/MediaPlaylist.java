package dev.palisade.demoorigin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict reader of the live media playlists the origin publishes: every line must be a tag it knows or a
 * segment URI following its {@code #EXTINF}.
 */
record MediaPlaylist(int version, int targetDuration, long mediaSequence, long discontinuitySequence,
        List<Segment> segments, boolean endList) {

    record Segment(String uri, double duration, Instant programDateTime, boolean discontinuity) {
    }

    static MediaPlaylist parse(String text) {
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals("#EXTM3U")) {
            throw new IllegalArgumentException("no #EXTM3U first: " + text);
        }
        if (!lines[lines.length - 1].isEmpty()) {
            throw new IllegalArgumentException("last line not terminated: " + text);
        }
        Map<String, String> header = new TreeMap<>();
        List<Segment> segments = new ArrayList<>();
        boolean discontinuity = false;
        Instant programDateTime = null;
        Double duration = null;
        boolean endList = false;
        for (int i = 1; i < lines.length - 1; i++) {
            String line = lines[i];
            if (line.startsWith("#EXT-X-VERSION:") || line.startsWith("#EXT-X-TARGETDURATION:")
                    || line.startsWith("#EXT-X-MEDIA-SEQUENCE:") || line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                if (!segments.isEmpty() || duration != null) {
                    throw new IllegalArgumentException("header tag after the first segment: " + line);
                }
                String key = line.substring(0, line.indexOf(':'));
                if (header.put(key, line.substring(line.indexOf(':') + 1)) != null) {
                    throw new IllegalArgumentException("repeated " + key);
                }
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                programDateTime = Instant.parse(line.substring(line.indexOf(':') + 1));
            } else if (line.startsWith("#EXTINF:")) {
                String value = line.substring("#EXTINF:".length());
                if (!value.endsWith(",")) {
                    throw new IllegalArgumentException("EXTINF without comma: " + line);
                }
                duration = Double.parseDouble(value.substring(0, value.length() - 1));
            } else if (line.equals("#EXT-X-ENDLIST")) {
                endList = true;
            } else if (!line.startsWith("#") && !line.isBlank()) {
                if (duration == null) {
                    throw new IllegalArgumentException("URI without #EXTINF: " + line);
                }
                segments.add(new Segment(line, duration, programDateTime, discontinuity));
                duration = null;
                programDateTime = null;
                discontinuity = false;
            } else {
                throw new IllegalArgumentException("unexpected line: " + line);
            }
        }
        return new MediaPlaylist(Integer.parseInt(header.get("#EXT-X-VERSION")),
                Integer.parseInt(header.get("#EXT-X-TARGETDURATION")),
                Long.parseLong(header.get("#EXT-X-MEDIA-SEQUENCE")),
                Long.parseLong(header.getOrDefault("#EXT-X-DISCONTINUITY-SEQUENCE", "0")), List.copyOf(segments),
                endList);
    }

    /** The media sequence number of the {@code i}th segment. */
    long sequence(int i) {
        return mediaSequence + i;
    }

    Segment last() {
        return segments.get(segments.size() - 1);
    }
}
