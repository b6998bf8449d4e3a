package dev.palisade.gateway.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.palisade.gateway.api.GatewayProblems;
import dev.palisade.gateway.config.GatewayConfig;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * entitlement-service's internal API for the gateway (role {@code service}): a channel's ordered origins and key period,
 * and the content key of a key period. Channel settings are reused for {@code palisade.gateway.channel-ttl} (and the
 * last known ones kept when entitlement-service cannot answer); keys are kept per period. Concurrent asks share a call.
 */
@ApplicationScoped
public class EntitlementClient {

    private static final Logger LOG = Logger.getLogger(EntitlementClient.class);

    /** A channel's delivery settings: origin base URLs (ending in {@code /}) in order of preference. */
    public record ChannelSettings(String id, List<String> origins, long keyRotationSeconds) {
    }

    /** A channel's AES-128 content key for one key period, and where players fetch it. */
    public record ContentKey(String channelId, long period, String kid, byte[] key, String hlsKeyUri) {
    }

    private final GatewayConfig config;
    private final WebClient http;
    private final ServiceTokenClient tokens;
    private final String base;
    private final AsyncCache<String, ChannelSettings> channels;
    private final Map<String, ChannelSettings> lastKnown = new ConcurrentHashMap<>();
    private final AsyncCache<String, ContentKey> keys;

    EntitlementClient(GatewayConfig config, WebClient http, ServiceTokenClient tokens) {
        this.config = config;
        this.http = http;
        this.tokens = tokens;
        String url = config.entitlementUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.channels = Caffeine.newBuilder().expireAfterWrite(config.channelTtl()).maximumSize(10_000).buildAsync();
        this.keys = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(6)).maximumSize(100_000).buildAsync();
    }

    public Uni<ChannelSettings> channel(String channelId) {
        return Uni.createFrom().completionStage(() -> channels.get(channelId,
                (id, executor) -> get("/api/v1/internal/channels/" + id).map(body -> {
                    JsonArray origins = body.getJsonArray("origins", new JsonArray());
                    List<String> list = new ArrayList<>();
                    for (int i = 0; i < origins.size(); i++) {
                        String origin = origins.getString(i);
                        list.add(origin.endsWith("/") ? origin : origin + "/");
                    }
                    ChannelSettings settings = new ChannelSettings(body.getString("id", id), List.copyOf(list),
                            body.getLong("keyRotationSeconds", 3600L));
                    lastKnown.put(id, settings);
                    return settings;
                }).subscribeAsCompletionStage()))
                .onFailure(e -> !(e instanceof HttpProblem) && lastKnown.containsKey(channelId))
                .recoverWithItem(() -> lastKnown.get(channelId));
    }

    public Uni<ContentKey> key(String channelId, long period) {
        return Uni.createFrom().completionStage(() -> keys.get(channelId + "/" + period,
                (k, executor) -> get("/api/v1/internal/channels/" + channelId + "/keys/" + period).map(body -> new ContentKey(
                        body.getString("channelId", channelId), body.getLong("period", period), body.getString("kid"),
                        Base64.getDecoder().decode(body.getString("key")), body.getString("hlsKeyUri")))
                        .subscribeAsCompletionStage()));
    }

    private Uni<JsonObject> get(String path) {
        return call(path).chain(response -> {
            if (response.statusCode() == 401) {
                tokens.invalidate();
                return call(path);
            }
            return Uni.createFrom().item(response);
        }).map(response -> {
            if (response.statusCode() == 404) {
                throw GatewayProblems.notFound("Channel");
            }
            if (response.statusCode() != 200) {
                LOG.warnf("entitlement-service answered %d to %s", response.statusCode(), path);
                throw GatewayProblems.upstreamUnavailable("entitlement-service");
            }
            return response.bodyAsJsonObject();
        }).onFailure(e -> !(e instanceof HttpProblem)).transform(e -> {
            LOG.warnf("entitlement-service unreachable for %s: %s", path, e.getMessage());
            return GatewayProblems.upstreamUnavailable("entitlement-service");
        });
    }

    private Uni<HttpResponse<Buffer>> call(String path) {
        return tokens.token().chain(token -> {
            var request = http.getAbs(base + path).timeout(config.internalTimeout().toMillis());
            if (token != null) {
                request.putHeader("Authorization", "Bearer " + token);
            }
            return request.send();
        });
    }
}
