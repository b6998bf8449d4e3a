package dev.palisade.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for entitlement-service (playback JWKS, internal channel settings and period keys, checking the gateway's
 * service token) and auth-service's token endpoint (client credentials with client_secret_basic).
 */
public final class FakeEntitlement {

    public static final String CLIENT_ID = "stream-gateway";
    public static final String CLIENT_SECRET = "test-only-gateway-secret";
    public static final String SERVICE_TOKEN = "service-token-for-tests";

    private static FakeEntitlement instance;

    private final HttpServer server;
    private final Map<String, String> channels = new ConcurrentHashMap<>();
    private final Map<String, byte[]> keysByKid = new ConcurrentHashMap<>();
    public final AtomicInteger tokenRequests = new AtomicInteger();
    public final AtomicInteger jwksRequests = new AtomicInteger();
    public final AtomicInteger keyRequests = new AtomicInteger();

    private FakeEntitlement() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/oauth2/token", this::token);
        server.createContext("/api/v1/playback/jwks", ex -> {
            jwksRequests.incrementAndGet();
            send(ex, 200, "application/json", PlaybackTokens.jwks().getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/api/v1/internal/channels/", this::internal);
        server.createContext("/api/v1/keys/hls/", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            byte[] key = keyForUri(ex.getRequestURI().getPath());
            if (query == null || !query.startsWith("token=") || key == null) {
                send(ex, query == null ? 401 : 404, "application/problem+json", "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(ex, 200, "application/octet-stream", key);
        });
        server.start();
    }

    public static synchronized FakeEntitlement get() {
        if (instance == null) {
            try {
                instance = new FakeEntitlement();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Registers (or replaces) a channel with its ordered origins. */
    public void channel(String id, List<String> origins, long keyRotationSeconds) {
        StringBuilder list = new StringBuilder();
        for (String o : origins) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(o).append('"');
        }
        channels.put(id, "{\"id\":\"" + id + "\",\"origins\":[" + list + "],\"keyRotationSeconds\":" + keyRotationSeconds + "}");
    }

    /** The content key the fake hands out for a channel and period. */
    public static byte[] key(String channel, long period) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((channel + "|" + period).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String kid(String channel, long period) {
        return UUID.nameUUIDFromBytes((channel + "|" + period).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The key behind a key URI the gateway wrote ({@code …/keys/hls/<channel>/<kid>?token=…}). */
    public byte[] keyForUri(String keyUri) {
        String path = keyUri.contains("?") ? keyUri.substring(0, keyUri.indexOf('?')) : keyUri;
        return keysByKid.get(path.substring(path.lastIndexOf('/') + 1));
    }

    private void token(HttpExchange ex) throws IOException {
        tokenRequests.incrementAndGet();
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!"POST".equals(ex.getRequestMethod()) || !expected.equals(ex.getRequestHeaders().getFirst("Authorization"))
                || !body.contains("grant_type=client_credentials")) {
            send(ex, 401, "application/json", "{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 200, "application/json", ("{\"access_token\":\"" + SERVICE_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void internal(HttpExchange ex) throws IOException {
        if (!("Bearer " + SERVICE_TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, "application/problem+json", "{\"status\":401}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String[] parts = ex.getRequestURI().getPath().substring("/api/v1/internal/channels/".length()).split("/");
        String channel = parts[0];
        String settings = channels.get(channel);
        if (settings == null) {
            send(ex, 404, "application/problem+json", "{\"status\":404}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (parts.length == 1) {
            send(ex, 200, "application/json", settings.getBytes(StandardCharsets.UTF_8));
            return;
        }
        keyRequests.incrementAndGet();
        long period = Long.parseLong(parts[2]);
        String kid = kid(channel, period);
        byte[] key = key(channel, period);
        keysByKid.put(kid, key);
        String json = "{\"channelId\":\"" + channel + "\",\"period\":" + period + ",\"kid\":\"" + kid + "\",\"key\":\""
                + Base64.getEncoder().encodeToString(key) + "\",\"hlsKeyUri\":\"" + url() + "/api/v1/keys/hls/" + channel + "/" + kid + "\"}";
        send(ex, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    public List<String> channelIds() {
        return new ArrayList<>(channels.keySet());
    }
}
