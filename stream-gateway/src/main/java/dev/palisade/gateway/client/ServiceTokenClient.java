package dev.palisade.gateway.client;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * The gateway's own access token at auth-service (OAuth2 client-credentials, {@code client_secret_basic}), reused
 * until shortly before it expires; concurrent callers share one token request.
 */
@ApplicationScoped
public class ServiceTokenClient {

    private static final Logger LOG = Logger.getLogger(ServiceTokenClient.class);
    private static final long EARLY_RENEWAL_MILLIS = 30_000;

    private record CachedToken(String value, long renewAtMillis) {
    }

    private final GatewayConfig config;
    private final WebClient http;
    private final Clock clock = Clock.systemUTC();
    private volatile CachedToken cached;
    private final AtomicReference<Uni<String>> inFlight = new AtomicReference<>();
    private volatile boolean warned;

    ServiceTokenClient(GatewayConfig config, WebClient http) {
        this.config = config;
        this.http = http;
    }

    /** A bearer token with role {@code service}, or {@code null} when no client secret is configured. */
    public Uni<String> token() {
        if (config.clientSecret().isEmpty()) {
            if (!warned) {
                warned = true;
                LOG.warn("palisade.gateway.client-secret is not set: calls to entitlement-service go out without a token");
            }
            return Uni.createFrom().nullItem();
        }
        CachedToken current = cached;
        if (current != null && clock.millis() < current.renewAtMillis()) {
            return Uni.createFrom().item(current.value());
        }
        Uni<String> fetch = fetch().memoize().indefinitely();
        Uni<String> existing = inFlight.compareAndExchange(null, fetch);
        Uni<String> shared = existing != null ? existing : fetch;
        return shared.eventually(() -> inFlight.compareAndSet(fetch, null));
    }

    /** Forgets the cached token (after a 401 from a resource server). */
    public void invalidate() {
        cached = null;
    }

    private Uni<String> fetch() {
        String basic = Base64.getEncoder().encodeToString(
                (config.clientId() + ":" + config.clientSecret().orElse("")).getBytes(StandardCharsets.UTF_8));
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", "client_credentials");
        return http.postAbs(config.tokenUrl()).timeout(config.internalTimeout().toMillis())
                .putHeader("Authorization", "Basic " + basic)
                .sendForm(form)
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("token endpoint answered " + response.statusCode());
                    }
                    JsonObject body = response.bodyAsJsonObject();
                    String token = body.getString("access_token");
                    long expiresIn = body.getLong("expires_in", 300L);
                    cached = new CachedToken(token, clock.millis() + Math.max(1000, expiresIn * 1000 - EARLY_RENEWAL_MILLIS));
                    return token;
                });
    }
}
