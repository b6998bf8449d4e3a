package dev.palisade.gateway.support;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A live HLS origin for one channel, in the demo origin's layout: {@code master.m3u8}, {@code <r>/index.m3u8} (sliding
 * window, program date-time, sequence from the shared wall clock so that primary and backup agree), A/B variants at
 * {@code <r>/A/seg-N.ts} and {@code <r>/B/seg-N.ts}. Switches: error (503), slow (answers after 3 s), frozen (playlist
 * stops advancing), killed (port closed), no B variants.
 */
public final class FakeOrigin implements AutoCloseable {

    public enum Mode {
        UP, ERROR, SLOW, FROZEN
    }

    /** The wall clock both origins of a channel follow. */
    public record LiveClock(long startMillis, double targetDuration, int window) {

        public static LiveClock now(double targetDuration) {
            return new LiveClock(System.currentTimeMillis() - 20_000, targetDuration, 5);
        }

        public long edge(long nowMillis) {
            return 100 + (long) Math.floor((nowMillis - startMillis) / (targetDuration * 1000));
        }

        public Instant time(long sequence) {
            return Instant.ofEpochMilli(startMillis + Math.round((sequence - 100) * targetDuration * 1000));
        }
    }

    private final String channel;
    private final LiveClock clock;
    private final String[] renditions;
    private volatile HttpServer server;
    private final int port;
    private volatile Mode mode = Mode.UP;
    private volatile long frozenEdge;
    private volatile boolean variantB = true;
    private volatile BiFunction<String, Long, byte[]> content;
    public final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    public FakeOrigin(String channel, LiveClock clock, String... renditions) {
        this.channel = channel;
        this.clock = clock;
        this.renditions = renditions.length == 0 ? new String[] { "360p", "720p" } : renditions;
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer bind(int p) {
        for (int attempt = 0; ; attempt++) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 0);
                s.setExecutor(Executors.newFixedThreadPool(8));
                s.createContext("/" + channel + "/", this::handle);
                s.start();
                return s;
            } catch (BindException e) {
                if (attempt > 50) {
                    throw new IllegalStateException(e);
                }
                sleep(100);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public String base() {
        return "http://127.0.0.1:" + port + "/" + channel + "/";
    }

    public void mode(Mode mode) {
        if (mode == Mode.FROZEN) {
            frozenEdge = clock.edge(System.currentTimeMillis());
        }
        this.mode = mode;
    }

    public void withoutVariantB() {
        variantB = false;
    }

    /** Serves these bytes for (variant-or-"-", sequence) instead of synthetic ones. */
    public void content(BiFunction<String, Long, byte[]> content) {
        this.content = content;
    }

    /** Closes the port (connections refused). */
    public synchronized void kill() {
        server.stop(0);
    }

    /** Opens the same port again. */
    public synchronized void revive() {
        mode = Mode.UP;
        server = bind(port);
    }

    public int hits(String pathSuffix) {
        return hits.entrySet().stream().filter(e -> e.getKey().endsWith(pathSuffix)).mapToInt(e -> e.getValue().get()).sum();
    }

    /** The clear bytes of a variant ({@code A}, {@code B}) of a segment. */
    public byte[] segment(String rendition, String variant, long sequence) {
        if (content != null) {
            return content.apply(variant, sequence);
        }
        String unit = "channel=" + channel + " rendition=" + rendition + " variant=" + variant + " sequence=" + sequence + "\n";
        return unit.repeat(40).getBytes(StandardCharsets.US_ASCII);
    }

    public String mediaPlaylist(long edge) {
        StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:")
                .append((long) Math.ceil(clock.targetDuration())).append('\n');
        long first = edge - clock.window() + 1;
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(first).append('\n');
        for (long seq = first; seq <= edge; seq++) {
            out.append("#EXT-X-PROGRAM-DATE-TIME:").append(clock.time(seq)).append('\n');
            out.append("#EXTINF:").append(String.format("%.3f", clock.targetDuration())).append(",\n");
            out.append("seg-").append(seq).append(".ts\n");
        }
        return out.toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring(channel.length() + 2);
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Mode current = mode;
        if (current == Mode.ERROR) {
            FakeEntitlement.send(ex, 503, "text/plain", "down".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        if (current == Mode.SLOW) {
            sleep(3000);
        }
        if (path.equals("master.m3u8")) {
            StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
            int bandwidth = 800_000;
            for (String r : renditions) {
                master.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth).append('\n').append(r).append("/index.m3u8\n");
                bandwidth *= 3;
            }
            FakeEntitlement.send(ex, 200, "application/vnd.apple.mpegurl", master.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        String[] parts = path.split("/");
        if (parts.length == 2 && parts[1].equals("index.m3u8") && java.util.Arrays.asList(renditions).contains(parts[0])) {
            long edge = current == Mode.FROZEN ? frozenEdge : clock.edge(System.currentTimeMillis());
            FakeEntitlement.send(ex, 200, "application/vnd.apple.mpegurl", mediaPlaylist(edge).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (parts.length == 3 && parts[2].startsWith("seg-") && (parts[1].equals("A") || parts[1].equals("B"))) {
            if (parts[1].equals("B") && !variantB) {
                FakeEntitlement.send(ex, 404, "text/plain", new byte[0]);
                return;
            }
            long seq = Long.parseLong(parts[2].substring(4, parts[2].length() - 3));
            FakeEntitlement.send(ex, 200, "video/mp2t", segment(parts[0], parts[1], seq));
            return;
        }
        FakeEntitlement.send(ex, 404, "text/plain", new byte[0]);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
