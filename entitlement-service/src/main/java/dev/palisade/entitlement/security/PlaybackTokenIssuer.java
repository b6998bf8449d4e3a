package dev.palisade.entitlement.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import dev.palisade.entitlement.config.PlaybackConfig;
import dev.palisade.entitlement.domain.PlaybackSession;

/**
 * Playback tokens: compact ES256 JWTs ({@code typ: pb+jwt}) that stream-gateway verifies offline with the published
 * key set. Scoped to one session, account and channel path; at most two minutes long; carrying the session's
 * watermark id; optionally bound to the client's network.
 * <p>
 * Claims: {@code iss}, {@code sub} (account), {@code sid} (playback session), {@code ch} (channel id), {@code path}
 * (the URL prefix the token opens, {@code /live/<channel>/}), {@code wm} (watermark id), {@code net} (optional
 * client network), {@code iat}, {@code exp}.
 */
@ApplicationScoped
public class PlaybackTokenIssuer {

    public static final Duration MAX_LIFETIME = Duration.ofMinutes(2);

    /** A token and when it stops working. */
    public record PlaybackToken(String token, Instant expiresAt) {
    }

    private final PlaybackKeyRing keys;
    private final PlaybackConfig config;

    PlaybackTokenIssuer(PlaybackKeyRing keys, PlaybackConfig config) {
        this.keys = keys;
        this.config = config;
        if (config.tokenTtl().compareTo(MAX_LIFETIME) > 0 || config.tokenTtl().isNegative() || config.tokenTtl().isZero()) {
            throw new IllegalStateException("palisade.playback.token-ttl must be between 1 s and 2 min, got " + config.tokenTtl());
        }
    }

    /** The URL a player opens: stream-gateway's entry playlist for the channel, with the token. */
    public String playbackUrl(PlaybackToken token, PlaybackSession session) {
        return config.gatewayUrl() + path(session.channelId) + "index.m3u8?token=" + token.token();
    }

    public static String path(String channelId) {
        return "/live/" + channelId + "/";
    }

    public PlaybackToken issue(PlaybackSession session) {
        Instant now = Instant.now();
        Instant expires = now.plus(config.tokenTtl());
        if (session.expiresAt.toInstant().isBefore(expires)) {
            expires = session.expiresAt.toInstant();
        }
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setSubject(session.accountId.toString());
        claims.setClaim("sid", session.id.toString());
        claims.setClaim("ch", session.channelId);
        claims.setClaim("path", path(session.channelId));
        claims.setClaim("wm", session.watermarkId);
        if (config.bindNetwork() && session.clientIp != null) {
            claims.setClaim("net", network(session.clientIp));
        }
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        PlaybackKeyRing.ActiveKey key = keys.active();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "pb+jwt");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return new PlaybackToken(jws.getCompactSerialization(), Instant.ofEpochSecond(expires.getEpochSecond()));
        } catch (JoseException e) {
            throw new IllegalStateException("Signing the playback token failed", e);
        }
    }

    /** The client's network: /24 for IPv4, /64 for IPv6 (as CIDR text). */
    public static String network(String ip) {
        try {
            byte[] a = InetAddress.getByName(ip).getAddress();
            int keep = a.length == 4 ? 3 : 8;
            for (int i = keep; i < a.length; i++) {
                a[i] = 0;
            }
            return InetAddress.getByAddress(a).getHostAddress() + (a.length == 4 ? "/24" : "/64");
        } catch (UnknownHostException e) {
            return ip;
        }
    }
}
