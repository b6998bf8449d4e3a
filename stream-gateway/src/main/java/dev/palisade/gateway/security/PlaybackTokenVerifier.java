package dev.palisade.gateway.security;

import java.security.Key;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import dev.palisade.gateway.api.GatewayProblems;
import dev.palisade.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Verifies playback tokens offline: ES256 compact JWS with {@code typ: pb+jwt}, signed by a key of entitlement-service's
 * published set ({@code /api/v1/playback/jwks}). The set is fetched at start, re-fetched regularly, and re-fetched when
 * a token names an unknown {@code kid} (at most once per {@code palisade.gateway.jwks.min-refresh-interval}, concurrent
 * asks share one fetch), so rotations (previous/current/next) are followed without a restart.
 */
@ApplicationScoped
public class PlaybackTokenVerifier {

    private static final Logger LOG = Logger.getLogger(PlaybackTokenVerifier.class);
    /** entitlement-service's ceiling on a token's lifetime, plus rounding. */
    private static final long MAX_LIFETIME_SECONDS = 125;

    private final GatewayConfig config;
    private final WebClient http;
    private final String issuer;
    private final String jwksUrl;
    private final Clock clock = Clock.systemUTC();
    private volatile Map<String, Key> keys = Map.of();
    private volatile long lastFetchMillis;
    private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();

    PlaybackTokenVerifier(GatewayConfig config, WebClient http) {
        this.config = config;
        this.http = http;
        this.issuer = trimSlash(config.playbackIssuer().orElse(config.entitlementUrl()));
        this.jwksUrl = trimSlash(config.entitlementUrl()) + "/api/v1/playback/jwks";
    }

    void onStart(@Observes StartupEvent event) {
        refresh(true).subscribe().with(v -> {
        }, e -> LOG.warnf("Playback key set not fetched yet from %s: %s", jwksUrl, e.getMessage()));
    }

    @Scheduled(every = "${palisade.gateway.jwks.refresh-interval}", delayed = "${palisade.gateway.jwks.refresh-interval}",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduledRefresh() {
        return refresh(true).onFailure().invoke(e -> LOG.warnf("Playback key set refresh failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Verifies the token and returns what it grants; fails with a 401 problem otherwise. */
    public Uni<PlaybackClaims> verify(String token) {
        if (token == null || token.isBlank()) {
            return Uni.createFrom().failure(GatewayProblems.tokenMissing());
        }
        String kid;
        try {
            kid = JsonWebStructure.fromCompactSerialization(token).getKeyIdHeaderValue();
        } catch (JoseException | RuntimeException e) {
            return Uni.createFrom().failure(GatewayProblems.tokenInvalid("The playback token is not a compact JWS."));
        }
        if (kid == null) {
            return Uni.createFrom().failure(GatewayProblems.tokenInvalid("The playback token names no key."));
        }
        Key key = keys.get(kid);
        if (key != null) {
            return Uni.createFrom().item(() -> check(token, key));
        }
        return refresh(false).onFailure().recoverWithNull().map(v -> {
            Key fetched = keys.get(kid);
            if (fetched == null) {
                throw GatewayProblems.tokenInvalid("The playback token is signed with an unknown key.");
            }
            return check(token, fetched);
        });
    }

    /** Number of keys currently trusted (for health and tests). */
    public int knownKeys() {
        return keys.size();
    }

    private PlaybackClaims check(String token, Key key) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                .setEvaluationTime(org.jose4j.jwt.NumericDate.fromMilliseconds(clock.millis()))
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setExpectedType(true, "pb+jwt")
                .setSkipDefaultAudienceValidation()
                .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw GatewayProblems.tokenExpired();
            }
            throw GatewayProblems.tokenInvalid("The playback token's signature or claims are not valid.");
        }
        try {
            if (!issuer.equals(trimSlash(claims.getIssuer()))) {
                throw GatewayProblems.tokenInvalid("The playback token comes from another issuer.");
            }
            long exp = claims.getExpirationTime().getValue();
            long iat = claims.getIssuedAt().getValue();
            if (exp - iat > MAX_LIFETIME_SECONDS) {
                throw GatewayProblems.tokenInvalid("The playback token lives longer than allowed.");
            }
            String sid = claims.getStringClaimValue("sid");
            String ch = claims.getStringClaimValue("ch");
            String path = claims.getStringClaimValue("path");
            Object wm = claims.getClaimValue("wm");
            if (sid == null || sid.isBlank() || ch == null || ch.isBlank() || !(wm instanceof Number number)
                    || number.longValue() < 0 || !("/live/" + ch + "/").equals(path)) {
                throw GatewayProblems.tokenInvalid("The playback token lacks its session, channel, path or watermark.");
            }
            return new PlaybackClaims(claims.getSubject(), sid, ch, path, number.longValue(), claims.getStringClaimValue("net"),
                    exp, token);
        } catch (MalformedClaimException e) {
            throw GatewayProblems.tokenInvalid("The playback token has a malformed claim.");
        }
    }

    /**
     * Fetches the key set unless it was fetched less than the minimum interval ago ({@code force} ignores that);
     * concurrent callers share one fetch.
     */
    Uni<Void> refresh(boolean force) {
        long now = clock.millis();
        if (!force && now - lastFetchMillis < config.jwks().minRefreshInterval().toMillis()) {
            CompletableFuture<Void> running = inFlight.get();
            return running == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(running);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> existing = inFlight.compareAndExchange(null, mine);
        if (existing != null) {
            return Uni.createFrom().completionStage(existing);
        }
        lastFetchMillis = now;
        http.getAbs(jwksUrl).timeout(config.internalTimeout().toMillis()).send()
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("JWKS answered " + response.statusCode());
                    }
                    return parse(response.bodyAsString());
                })
                .subscribe().with(parsed -> {
                    keys = parsed;
                    inFlight.set(null);
                    mine.complete(null);
                }, failure -> {
                    inFlight.set(null);
                    mine.completeExceptionally(failure);
                });
        return Uni.createFrom().completionStage(mine);
    }

    private static Map<String, Key> parse(String json) {
        try {
            Map<String, Key> parsed = new HashMap<>();
            for (JsonWebKey jwk : new JsonWebKeySet(json).getJsonWebKeys()) {
                if (jwk.getKeyId() != null && jwk instanceof PublicJsonWebKey pub && "EC".equals(jwk.getKeyType())) {
                    parsed.put(jwk.getKeyId(), pub.getPublicKey());
                }
            }
            return Map.copyOf(parsed);
        } catch (JoseException e) {
            throw new IllegalStateException("The playback key set is not a JWK set", e);
        }
    }

    static String trimSlash(String url) {
        if (url == null) {
            return "";
        }
        String s = url;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
