package dev.palisade.gateway.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;

/** Playback tokens as entitlement-service issues them (ES256, typ pb+jwt), signed with test keys the fake publishes. */
public final class PlaybackTokens {

    private static final List<EllipticCurveJsonWebKey> PUBLISHED = new CopyOnWriteArrayList<>();
    private static final AtomicLong WATERMARKS = new AtomicLong(1000);

    static {
        PUBLISHED.add(newKey("pb-test-1"));
    }

    private PlaybackTokens() {
    }

    static EllipticCurveJsonWebKey newKey(String kid) {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            return key;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key set the fake entitlement-service publishes. */
    public static String jwks() {
        List<JsonWebKey> keys = new ArrayList<>(PUBLISHED);
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Publishes a new key and makes it the signing key (rotation). */
    public static String rotate() {
        String kid = "pb-test-" + (PUBLISHED.size() + 1);
        PUBLISHED.add(0, newKey(kid));
        return kid;
    }

    public static Builder session(String channel) {
        return new Builder(channel);
    }

    /** A token for one session. */
    public static final class Builder {
        public final String channel;
        public String sessionId = UUID.randomUUID().toString();
        public String accountId = UUID.randomUUID().toString();
        public long watermarkId = WATERMARKS.incrementAndGet();
        String path;
        String network;
        String issuer = FakeEntitlement.get().url();
        Instant issuedAt = Instant.now();
        Duration lifetime = Duration.ofMinutes(2);
        EllipticCurveJsonWebKey key;
        String type = "pb+jwt";

        Builder(String channel) {
            this.channel = channel;
            this.path = "/live/" + channel + "/";
        }

        public Builder network(String cidr) {
            this.network = cidr;
            return this;
        }

        public Builder issuedAgo(Duration ago, Duration lifetime) {
            this.issuedAt = Instant.now().minus(ago);
            this.lifetime = lifetime;
            return this;
        }

        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** Signed with a key nobody published, under the published kid. */
        public Builder forged() {
            this.key = newKey(PUBLISHED.get(0).getKeyId());
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public String sign() {
            try {
                JwtClaims claims = new JwtClaims();
                claims.setIssuer(issuer);
                claims.setSubject(accountId);
                claims.setClaim("sid", sessionId);
                claims.setClaim("ch", channel);
                claims.setClaim("path", path);
                claims.setClaim("wm", watermarkId);
                if (network != null) {
                    claims.setClaim("net", network);
                }
                claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
                claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.plus(lifetime).getEpochSecond()));
                EllipticCurveJsonWebKey signing = key != null ? key : PUBLISHED.get(0);
                JsonWebSignature jws = new JsonWebSignature();
                jws.setPayload(claims.toJson());
                jws.setKey(signing.getPrivateKey());
                jws.setKeyIdHeaderValue(signing.getKeyId());
                jws.setHeader("typ", type);
                jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
                return jws.getCompactSerialization();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
