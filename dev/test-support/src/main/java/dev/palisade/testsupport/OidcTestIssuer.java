package dev.palisade.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for auth-service as OIDC issuer in tests of the other services: it serves a discovery document
 * and a JWKS over real HTTP, and mints ES256 access tokens with the claim layout of shared/ARCHITECTURE.md
 * ({@code sub}, {@code sid}, {@code groups}, {@code amr}, {@code acr}, {@code aud}). Services verify them with
 * quarkus-oidc exactly as they verify auth-service's tokens: from the issuer URL alone.
 * <p>
 * {@link #rotate()} publishes a new current key while keeping the previous one, and {@link #foreignKeyToken}
 * signs with a key that is never published, for the "unknown key" refusal.
 */
public final class OidcTestIssuer implements AutoCloseable {

    /** Audience every Palisade API service expects by default. */
    public static final String DEFAULT_AUDIENCE = "palisade";

    private final HttpServer server;
    private final List<EllipticCurveJsonWebKey> published = new ArrayList<>();
    private volatile EllipticCurveJsonWebKey current;

    private OidcTestIssuer(HttpServer server) {
        this.server = server;
    }

    /** Starts an issuer on a free port of 127.0.0.1. */
    public static OidcTestIssuer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OidcTestIssuer issuer = new OidcTestIssuer(http);
            issuer.rotate();
            http.createContext("/.well-known/openid-configuration", issuer::discovery);
            http.createContext("/protocol/openid-connect/certs", issuer::jwks);
            http.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "oidc-test-issuer");
                t.setDaemon(true);
                return t;
            }));
            http.start();
            return issuer;
        } catch (IOException e) {
            throw new IllegalStateException("Test OIDC issuer did not start: " + e.getMessage(), e);
        }
    }

    public String issuerUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Publishes a fresh signing key and makes it current; earlier keys stay published. */
    public synchronized String rotate() {
        EllipticCurveJsonWebKey key = newKey();
        published.add(key);
        current = key;
        return key.getKeyId();
    }

    /** Starts a token for account {@code subject}: {@code aal1}, password only, role {@code subscriber}. */
    public TokenBuilder token(String subject) {
        return new TokenBuilder(subject);
    }

    /** A well-formed token signed with a key this issuer never published. */
    public String foreignKeyToken(String subject, String... groups) {
        return new TokenBuilder(subject).groups(groups).signWith(newKey());
    }

    /**
     * A token that claims to come from {@code issuer} but is signed with a fresh key nobody published: what a forger
     * without the issuer's private key can make.
     */
    public static String forgedToken(String issuer, String audience, String subject, String... groups) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setStringListClaim("groups", groups);
        claims.setClaim("acr", "aal2");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        return sign(claims, newKey());
    }

    /** An unsigned token ({@code alg: none}) with the given claims: must be refused by every verifier. */
    public static String unsignedToken(String issuer, String audience, String subject, String... groups) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setStringListClaim("groups", groups);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String sign(JwtClaims claims, EllipticCurveJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Signing the test token failed", e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String issuer = issuerUrl();
        String body = "{\"issuer\":\"" + issuer + "\","
                + "\"jwks_uri\":\"" + issuer + "/protocol/openid-connect/certs\","
                + "\"token_endpoint\":\"" + issuer + "/protocol/openid-connect/token\","
                + "\"authorization_endpoint\":\"" + issuer + "/protocol/openid-connect/auth\","
                + "\"id_token_signing_alg_values_supported\":[\"ES256\"],"
                + "\"subject_types_supported\":[\"public\"],"
                + "\"response_types_supported\":[\"code\"]}";
        respond(exchange, body);
    }

    private synchronized void jwks(HttpExchange exchange) throws IOException {
        respond(exchange, new JsonWebKeySet(new ArrayList<JsonWebKey>(published)).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static EllipticCurveJsonWebKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey((java.security.interfaces.ECPublicKey) pair.getPublic());
            jwk.setPrivateKey(pair.getPrivate());
            jwk.setKeyId(UUID.randomUUID().toString());
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            return jwk;
        } catch (Exception e) {
            throw new IllegalStateException("EC P-256 key generation failed", e);
        }
    }

    /** Fluent access-token builder; defaults: role subscriber, aal1 (password), 5-minute lifetime. */
    public final class TokenBuilder {
        private final JwtClaims claims = new JwtClaims();
        private Instant issuedAt = Instant.now();
        private Duration lifetime = Duration.ofMinutes(5);

        private TokenBuilder(String subject) {
            claims.setSubject(subject);
            claims.setClaim("sid", UUID.randomUUID().toString());
            claims.setStringListClaim("groups", "subscriber");
            claims.setStringListClaim("amr", "pwd");
            claims.setClaim("acr", "aal1");
            claims.setAudience(DEFAULT_AUDIENCE);
            claims.setJwtId(UUID.randomUUID().toString());
        }

        public TokenBuilder groups(String... groups) {
            claims.setStringListClaim("groups", groups);
            return this;
        }

        /** Password plus a second factor: {@code acr=aal2}, {@code amr=[pwd, otp]}. */
        public TokenBuilder aal2() {
            claims.setStringListClaim("amr", "pwd", "otp");
            claims.setClaim("acr", "aal2");
            return this;
        }

        public TokenBuilder sessionId(String sid) {
            claims.setClaim("sid", sid);
            return this;
        }

        public TokenBuilder audience(String... audience) {
            claims.setAudience(audience);
            return this;
        }

        public TokenBuilder claim(String name, Object value) {
            claims.setClaim(name, value);
            return this;
        }

        /** Issued {@code ago} before now with the given lifetime, e.g. to make an already expired token. */
        public TokenBuilder issuedAgo(Duration ago, Duration lifetime) {
            this.issuedAt = Instant.now().minus(ago);
            this.lifetime = lifetime;
            return this;
        }

        public String sign() {
            return signWith(current);
        }

        private String signWith(EllipticCurveJsonWebKey key) {
            claims.setIssuer(issuerUrl());
            claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
            claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.plus(lifetime).getEpochSecond()));
            return OidcTestIssuer.sign(claims, key);
        }
    }
}
