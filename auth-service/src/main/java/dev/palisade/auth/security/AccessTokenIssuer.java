package dev.palisade.auth.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import dev.palisade.auth.config.AuthConfig;

/**
 * Signs short-lived access tokens (ES256 JWT, {@code typ: at+jwt}) with the ring's current key. Claims follow
 * shared/ARCHITECTURE.md: {@code sub} (account or client id), {@code sid}, {@code groups}, {@code amr},
 * {@code acr} ({@code aal1}/{@code aal2}), {@code aud}, {@code iss}, {@code iat}, {@code exp}, {@code jti}.
 */
@ApplicationScoped
public class AccessTokenIssuer {

    /** A signed token and how long it lives. */
    public record IssuedToken(String token, Duration lifetime) {
    }

    private final SigningKeyRing keys;
    private final AuthConfig config;

    AccessTokenIssuer(SigningKeyRing keys, AuthConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public IssuedToken issue(String subject, String sessionId, List<String> groups, List<String> amr, String acr) {
        Instant now = Instant.now();
        Duration lifetime = config.accessTokenLifetime();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setSubject(subject);
        claims.setAudience(config.audience());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        if (sessionId != null) {
            claims.setClaim("sid", sessionId);
        }
        claims.setStringListClaim("groups", groups);
        if (!amr.isEmpty()) {
            claims.setStringListClaim("amr", amr);
        }
        if (acr != null) {
            claims.setClaim("acr", acr);
        }
        SigningKeyRing.ActiveKey key = keys.active();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "at+jwt");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return new IssuedToken(jws.getCompactSerialization(), lifetime);
        } catch (JoseException e) {
            throw new IllegalStateException("Signing the access token failed", e);
        }
    }
}
