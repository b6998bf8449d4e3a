package dev.palisade.demoorigin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The live timeline of a demo channel, a pure function of the wall clock so that any number of origin
 * processes, started whenever, publish identical playlists and segment names at the same instant.
 *
 * <p>Segment {@code n} (its media sequence number) covers {@code [epoch + n*d, epoch + (n+1)*d)} and plays loop
 * segment {@code n mod loopLength}. At instant {@code t} segment {@code floor((t - epoch) / d)} is being
 * "produced"; the one before it is the live edge, the newest segment published. The media playlist lists the
 * {@code windowSize} segments up to the live edge. A discontinuity precedes every segment that restarts the loop
 * ({@code n mod loopLength == 0}), where the timestamps jump back.
 *
 * @param epoch           instant at which segment 0 starts
 * @param segmentDuration duration of every segment
 * @param loopLength      number of segments in the media loop
 * @param windowSize      number of segments in the media playlist
 * @param servedSegments  how many segments up to the live edge are still served (the window and some behind it)
 */
public record LiveWindow(Instant epoch, Duration segmentDuration, int loopLength, int windowSize, int servedSegments) {

    /** The fixed epoch of the demo timeline; any fixed instant in the past would do. */
    public static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");

    /** Segments in the media playlist. */
    public static final int WINDOW_SIZE = 6;

    /** Segments still served, counting back from the live edge. */
    public static final int SERVED_SEGMENTS = 30;

    private static final DateTimeFormatter PROGRAM_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public LiveWindow {
        if (segmentDuration.isNegative() || segmentDuration.isZero() || loopLength < 1 || windowSize < 1
                || servedSegments < windowSize) {
            throw new IllegalArgumentException("invalid live window");
        }
    }

    /** The demo timeline for the given media: fixed epoch, 6-segment window, 30 segments served. */
    public static LiveWindow of(DemoMedia media) {
        return new LiveWindow(EPOCH, media.segmentDuration(), media.segmentCount(), WINDOW_SIZE, SERVED_SEGMENTS);
    }

    /** Media sequence number of the newest published segment at {@code now}. */
    public long liveEdge(Instant now) {
        return Math.floorDiv(Duration.between(epoch, now).toMillis(), segmentDuration.toMillis()) - 1;
    }

    /** Media sequence number of the first segment in the playlist at {@code now} ({@code EXT-X-MEDIA-SEQUENCE}). */
    public long firstInWindow(Instant now) {
        return liveEdge(now) - windowSize + 1;
    }

    /**
     * Whether segment {@code sequence} is served at {@code now}: the {@code servedSegments} newest published
     * segments, plus the one being produced (tolerates a little clock skew between a primary and a backup).
     */
    public boolean isServed(long sequence, Instant now) {
        long edge = liveEdge(now);
        return sequence > edge - servedSegments && sequence <= edge + 1;
    }

    /** Index in the media loop of segment {@code sequence}. */
    public int loopIndex(long sequence) {
        return (int) Math.floorMod(sequence, (long) loopLength);
    }

    /** Whether segment {@code sequence} restarts the loop, i.e. is preceded by a discontinuity. */
    public boolean startsLoop(long sequence) {
        return loopIndex(sequence) == 0;
    }

    /** Number of discontinuities before segment {@code sequence} ({@code EXT-X-DISCONTINUITY-SEQUENCE}). */
    public long discontinuitySequence(long sequence) {
        return Math.floorDiv(sequence - 1, (long) loopLength) + 1;
    }

    /** Wall-clock start of segment {@code sequence}. */
    public Instant start(long sequence) {
        return epoch.plus(segmentDuration.multipliedBy(sequence));
    }

    /** The multivariant playlist of a channel. */
    public static String masterPlaylist(List<Rendition> renditions) {
        StringBuilder m3u8 = new StringBuilder(256)
                .append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (Rendition r : renditions) {
            m3u8.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(r.bandwidth())
                    .append(",RESOLUTION=").append(r.resolution())
                    .append(",CODECS=\"").append(r.codecs()).append("\"\n")
                    .append(r.name()).append("/index.m3u8\n");
        }
        return m3u8.toString();
    }

    /** The live media playlist of one rendition at {@code now}. */
    public String mediaPlaylist(Instant now) {
        long first = firstInWindow(now);
        long last = liveEdge(now);
        long seconds = segmentDuration.toSeconds() + (segmentDuration.toMillisPart() > 0 ? 1 : 0);
        String extinf = String.format(Locale.ROOT, "#EXTINF:%.3f,\n", segmentDuration.toMillis() / 1000.0);
        StringBuilder m3u8 = new StringBuilder(512)
                .append("#EXTM3U\n#EXT-X-VERSION:3\n")
                .append("#EXT-X-TARGETDURATION:").append(seconds).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:").append(first).append('\n')
                .append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence(first)).append('\n');
        for (long n = first; n <= last; n++) {
            if (startsLoop(n)) {
                m3u8.append("#EXT-X-DISCONTINUITY\n");
            }
            m3u8.append("#EXT-X-PROGRAM-DATE-TIME:").append(PROGRAM_DATE_TIME.format(start(n))).append('\n')
                    .append(extinf)
                    .append("seg-").append(n).append(".ts\n");
        }
        return m3u8.toString();
    }
}
