package dev.palisade.demoorigin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A demo live HLS origin: serves every channel id a live sliding window over the committed demo loop
 * ({@link DemoMedia}), in forensic variants A and B, computed from the wall clock ({@link LiveWindow}) so that a
 * primary and a backup publish the same playlists and segment names at the same instant.
 *
 * <p>URL layout (every channel id matching {@code [a-z0-9-]{1,63}} serves the same media):
 * <ul>
 * <li>{@code GET /<channel>/master.m3u8}: multivariant playlist, one entry {@code <rendition>/index.m3u8} per
 * rendition;</li>
 * <li>{@code GET /<channel>/<rendition>/index.m3u8}: live media playlist, segment URIs {@code seg-<sequence>.ts};</li>
 * <li>{@code GET /<channel>/<rendition>/seg-<sequence>.ts}: variant A of that segment;
 * {@code GET /<channel>/<rendition>/A/seg-<sequence>.ts} and {@code .../B/seg-<sequence>.ts}: the explicit
 * variants. Variant X of a segment URI {@code u} is at {@code X/u} relative to the media playlist.</li>
 * <li>{@code GET /health}; {@code POST /control/down[?seconds=N]}, {@code /control/up}, {@code /control/freeze},
 * {@code /control/unfreeze}, {@code /control/stats/reset}; {@code GET /control/stats}.</li>
 * </ul>
 * HEAD is answered like GET without a body.
 */
public final class DemoOrigin implements AutoCloseable {

    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    static final String SEGMENT_TYPE = "video/mp2t";
    static final String PLAYLIST_CACHE = "public, max-age=1";
    /** A segment's content is a function of its sequence number only: it may be cached long. */
    static final String SEGMENT_CACHE = "public, max-age=3600";
    private static final String PROBLEM_TYPE = "application/problem+json";
    private static final String JSON_TYPE = "application/json";
    private static final String NO_STORE = "no-store";

    private static final String CHANNEL = "([a-z0-9-]{1,63})";
    private static final Pattern MASTER = Pattern.compile("/" + CHANNEL + "/master\\.m3u8");
    private static final Pattern MEDIA = Pattern.compile("/" + CHANNEL + "/([A-Za-z0-9_-]{1,32})/index\\.m3u8");
    private static final Pattern SEGMENT = Pattern.compile(
            "/" + CHANNEL + "/([A-Za-z0-9_-]{1,32})/(?:([AB])/)?seg-(0|[1-9][0-9]{0,17})\\.ts");
    private static final Pattern DOWN_SECONDS = Pattern.compile("(?:^|&)seconds=([0-9]{1,9})(?:&|$)");

    static {
        // The JDK server writes the headers and the body separately: without TCP_NODELAY, Nagle's algorithm and
        // the client's delayed ACK hold every segment back ~40 ms. The JDK reads this once, when the first
        // HttpServer of the JVM is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String name;
    private final Clock clock;
    private final DemoMedia media;
    private final LiveWindow window;
    private final RequestStats stats = new RequestStats();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final byte[] masterPlaylist;
    /** {@code null} while up; the end of the outage while down ({@link Instant#MAX}: until switched up). */
    private volatile Instant downUntil;
    /** {@code null} while live; the instant the playlists stopped at while frozen. */
    private volatile Instant frozenAt;

    private DemoOrigin(HttpServer server, String name, Clock clock, DemoMedia media) {
        this.server = server;
        this.name = name;
        this.clock = clock;
        this.media = media;
        this.window = LiveWindow.of(media);
        this.masterPlaylist = LiveWindow.masterPlaylist(media.renditions()).getBytes(StandardCharsets.UTF_8);
        this.executor = Executors.newFixedThreadPool(4, threadFactory(name));
        InetSocketAddress bound = server.getAddress();
        InetAddress address = bound.getAddress();
        String host = address.isAnyLocalAddress() ? "127.0.0.1"
                : address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        this.baseUrl = "http://" + host + ":" + bound.getPort();
    }

    /** Starts an origin on the wall clock. {@code bind} may have port 0 (see {@link #port()}). */
    public static DemoOrigin start(InetSocketAddress bind, String name) {
        return start(bind, name, Clock.systemUTC());
    }

    /** Starts an origin whose live window follows {@code clock} (tests move it instead of sleeping). */
    public static DemoOrigin start(InetSocketAddress bind, String name, Clock clock) {
        HttpServer server;
        try {
            server = HttpServer.create(bind, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("demo-origin " + name + " cannot bind " + bind, e);
        }
        DemoOrigin origin = new DemoOrigin(server, name, clock, SharedMedia.MEDIA);
        server.createContext("/", origin::handle);
        server.setExecutor(origin.executor);
        server.start();
        return origin;
    }

    /** The media are loaded once per class loader and shared by all origins. */
    private static final class SharedMedia {
        static final DemoMedia MEDIA = DemoMedia.fromClasspath();
    }

    private static ThreadFactory threadFactory(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "demo-origin-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The name given at start, e.g. {@code primary}. */
    public String name() {
        return name;
    }

    /** The port the origin listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://<host>:<port>}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The multivariant playlist URL of a channel, e.g. {@code http://127.0.0.1:8091/demo/master.m3u8}. */
    public String masterPlaylistUrl(String channel) {
        return baseUrl + "/" + channel + "/master.m3u8";
    }

    /** The media this origin serves. */
    public DemoMedia media() {
        return media;
    }

    /** The live timeline this origin publishes. */
    public LiveWindow window() {
        return window;
    }

    /** Request counters. */
    public RequestStats stats() {
        return stats;
    }

    /** Switches the origin down (503 to everything but {@code /control}) until switched up, or back up. */
    public void down(boolean down) {
        downUntil = down ? Instant.MAX : null;
    }

    /** Switches the origin down for {@code duration} of its clock. */
    public void down(Duration duration) {
        downUntil = clock.instant().plus(duration);
    }

    /** Whether the origin answers 503 now. */
    public boolean isDown() {
        Instant until = downUntil;
        return until != null && clock.instant().isBefore(until);
    }

    /**
     * Freezes the playlists (they stop advancing and repeat the one of the instant of freezing, as a stuck encoder
     * would) or lets them follow the clock again.
     */
    public void freeze(boolean freeze) {
        if (!freeze) {
            frozenAt = null;
        } else if (frozenAt == null) {
            frozenAt = clock.instant();
        }
    }

    /** Whether the playlists are frozen. */
    public boolean isFrozen() {
        return frozenAt != null;
    }

    /** The instant the published window is computed for: the clock, or the instant of freezing. */
    Instant publishedAt() {
        Instant frozen = frozenAt;
        return frozen != null ? frozen : clock.instant();
    }

    /** Stops listening and releases the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------- requests

    private void handle(HttpExchange exchange) {
        try {
            drain(exchange.getRequestBody());
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/control") || path.startsWith("/control/")) {
                stats.count(PathKind.CONTROL);
                control(exchange, method, path);
                return;
            }
            Matcher master = MASTER.matcher(path);
            Matcher playlist = MEDIA.matcher(path);
            Matcher segment = SEGMENT.matcher(path);
            PathKind kind = path.equals("/health") ? PathKind.HEALTH
                    : master.matches() ? PathKind.MASTER_PLAYLIST
                    : playlist.matches() ? PathKind.MEDIA_PLAYLIST
                    : segment.matches() ? PathKind.SEGMENT
                    : PathKind.OTHER;
            stats.count(kind);
            if (isDown()) {
                stats.countUnavailable();
                exchange.getResponseHeaders().set("Retry-After", "1");
                problem(exchange, 503, "origin-down", "Demo origin " + name + " is down");
                return;
            }
            if (kind == PathKind.OTHER) {
                problem(exchange, 404, "not-found", "No such demo origin resource");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                problem(exchange, 405, "method-not-allowed", "Only GET and HEAD are allowed here");
                return;
            }
            switch (kind) {
                case HEALTH -> send(exchange, 200, "text/plain; charset=utf-8", NO_STORE,
                        ("UP " + name + "\n").getBytes(StandardCharsets.UTF_8));
                case MASTER_PLAYLIST -> send(exchange, 200, PLAYLIST_TYPE, PLAYLIST_CACHE, masterPlaylist);
                case MEDIA_PLAYLIST -> mediaPlaylist(exchange, playlist.group(2));
                case SEGMENT -> segment(exchange, path, segment.group(2), segment.group(3), segment.group(4));
                default -> throw new IllegalStateException(kind.name());
            }
        } catch (IOException e) {
            // The client went away: nothing to answer.
        } catch (RuntimeException e) {
            try {
                problem(exchange, 500, "internal-error", "Demo origin failed: " + e.getClass().getSimpleName());
            } catch (IOException | RuntimeException ignored) {
                // Headers were already sent or the client went away.
            }
        } finally {
            exchange.close();
        }
    }

    private void mediaPlaylist(HttpExchange exchange, String rendition) throws IOException {
        if (media.rendition(rendition).isEmpty()) {
            problem(exchange, 404, "not-found", "No rendition " + rendition);
            return;
        }
        send(exchange, 200, PLAYLIST_TYPE, PLAYLIST_CACHE,
                window.mediaPlaylist(publishedAt()).getBytes(StandardCharsets.UTF_8));
    }

    private void segment(HttpExchange exchange, String path, String rendition, String variantName, String sequenceText)
            throws IOException {
        long sequence;
        try {
            sequence = Long.parseLong(sequenceText);
        } catch (NumberFormatException e) {
            sequence = -1;
        }
        if (media.rendition(rendition).isEmpty() || sequence < 0 || !window.isServed(sequence, publishedAt())) {
            problem(exchange, 404, "not-found", "Segment " + sequenceText + " of " + rendition
                    + " is not (or no longer) in the live window");
            return;
        }
        Variant variant = variantName == null ? Variant.A : Variant.valueOf(variantName);
        byte[] body = media.segment(rendition, variant, window.loopIndex(sequence));
        if (exchange.getRequestMethod().equals("GET")) {
            stats.countSegmentFetch(path);
        }
        send(exchange, 200, SEGMENT_TYPE, SEGMENT_CACHE, body);
    }

    private void control(HttpExchange exchange, String method, String path) throws IOException {
        boolean read = path.equals("/control/stats");
        boolean known = read || switch (path) {
            case "/control/down", "/control/up", "/control/freeze", "/control/unfreeze", "/control/stats/reset" -> true;
            default -> false;
        };
        if (!known) {
            problem(exchange, 404, "not-found", "No such control switch");
            return;
        }
        boolean allowed = read ? method.equals("GET") || method.equals("HEAD") : method.equals("POST");
        if (!allowed) {
            exchange.getResponseHeaders().set("Allow", read ? "GET, HEAD" : "POST");
            problem(exchange, 405, "method-not-allowed", "Use " + (read ? "GET" : "POST") + " on " + path);
            return;
        }
        switch (path) {
            case "/control/down" -> {
                String query = exchange.getRequestURI().getRawQuery();
                Matcher seconds = DOWN_SECONDS.matcher(query == null ? "" : query);
                if (seconds.find()) {
                    down(Duration.ofSeconds(Long.parseLong(seconds.group(1))));
                } else {
                    down(true);
                }
            }
            case "/control/up" -> down(false);
            case "/control/freeze" -> freeze(true);
            case "/control/unfreeze" -> freeze(false);
            case "/control/stats/reset" -> stats.reset();
            default -> {
                // GET /control/stats: nothing to change.
            }
        }
        String json = stats.toJson(name, isDown(), isFrozen(), window.liveEdge(publishedAt()));
        send(exchange, 200, JSON_TYPE, NO_STORE, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void problem(HttpExchange exchange, int status, String type, String title) throws IOException {
        String json = "{\"type\":\"https://palisade.dev/problems/demo-origin-" + type + "\",\"title\":"
                + RequestStats.jsonString(title) + ",\"status\":" + status + "}";
        send(exchange, status, PROBLEM_TYPE, NO_STORE, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String cacheControl, byte[] body)
            throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", cacheControl);
        if (exchange.getRequestMethod().equals("HEAD")) {
            headers.set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void drain(InputStream body) throws IOException {
        try (body) {
            body.transferTo(OutputStream.nullOutputStream());
        }
    }

    // ---------------------------------------------------------------------------------------------- process

    /**
     * Runs an origin as a process until SIGTERM: {@code --port 8091 --name primary [--bind 127.0.0.1]}. Prints one
     * line saying where it serves.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 8091;
        String name = "origin";
        String bind = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = parsePort(value);
                case "--name" -> name = value;
                case "--bind" -> bind = value;
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                default -> value = null;
            }
            if (value == null || value.isBlank()) {
                usage(System.err);
                System.exit(2);
            }
            i++;
        }
        DemoOrigin origin = start(new InetSocketAddress(bind, port), name);
        CountDownLatch stopped = new CountDownLatch(1);
        String originName = name;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            origin.close();
            System.out.println("demo-origin " + originName + " stopped");
            stopped.countDown();
        }, "demo-origin-shutdown"));
        System.out.println("demo-origin " + name + " serving " + origin.baseUrl() + "/<channel>/master.m3u8");
        System.out.flush();
        stopped.await();
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(System.err);
        System.exit(2);
        return -1;
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar palisade-demo-origin.jar [--port 8091] [--name origin] [--bind 127.0.0.1]");
        out.println("  serves a live HLS demo channel at http://<bind>:<port>/<channel>/master.m3u8");
    }
}
