package dev.palisade.entitlement.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import dev.palisade.entitlement.api.EntitlementProblems;
import dev.palisade.entitlement.config.PlaybackConfig;

/**
 * Checks a playback token the way stream-gateway does (signature against this service's published keys, issuer,
 * expiry, channel scope, optional network binding). Whether its session is still running is checked by the caller
 * against the ledger. Every refusal is a problem saying which check failed.
 */
@ApplicationScoped
public class PlaybackTokenVerifier {

    /** What a valid token proves. */
    public record Playback(UUID accountId, UUID sessionId, String channelId, long watermarkId) {
    }

    private final PlaybackKeyRing keys;
    private final PlaybackConfig config;
    private volatile String consumerJwks;
    private volatile JwtConsumer consumer;

    PlaybackTokenVerifier(PlaybackKeyRing keys, PlaybackConfig config) {
        this.keys = keys;
        this.config = config;
    }

    public Playback verify(String token, String channelId, String clientIp) {
        if (token == null || token.isBlank()) {
            throw EntitlementProblems.of(Response.Status.UNAUTHORIZED, "playback-token-required", "Playback token required",
                    "Send the playback token of your session (query parameter 'token' or header 'X-Playback-Token').");
        }
        JwtClaims claims;
        try {
            claims = consumer().processToClaims(token.trim());
        } catch (InvalidJwtException e) {
            String why = e.hasExpired() ? "it has expired; a heartbeat gives a fresh one"
                    : e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)
                            ? "its signature does not verify"
                            : "it is not a valid playback token";
            throw EntitlementProblems.of(Response.Status.UNAUTHORIZED, "playback-token-invalid", "Invalid playback token", "The token was refused: " + why + ".");
        }
        try {
            String ch = claims.getStringClaimValue("ch");
            if (!channelId.equals(ch)) {
                throw EntitlementProblems.of(Response.Status.FORBIDDEN, "playback-token-wrong-channel", "Token for another channel",
                        "This playback token opens channel '" + ch + "', not '" + channelId + "'.");
            }
            String net = claims.getStringClaimValue("net");
            if (net != null && clientIp != null && !inNetwork(clientIp, net)) {
                throw EntitlementProblems.of(Response.Status.FORBIDDEN, "playback-token-wrong-network", "Token used from another network",
                        "This playback token is bound to the network it was issued to.");
            }
            Number wm = claims.getClaimValue("wm", Number.class);
            return new Playback(UUID.fromString(claims.getSubject()), UUID.fromString(claims.getStringClaimValue("sid")), ch,
                    wm == null ? 0 : wm.longValue());
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw EntitlementProblems.of(Response.Status.UNAUTHORIZED, "playback-token-invalid", "Invalid playback token",
                    "The token was refused: its claims are malformed.");
        }
    }

    private JwtConsumer consumer() {
        String jwks = keys.jwks();
        JwtConsumer c = consumer;
        if (c == null || !jwks.equals(consumerJwks)) {
            try {
                c = new JwtConsumerBuilder().setRequireExpirationTime().setRequireSubject().setExpectedIssuer(config.issuer())
                        .setAllowedClockSkewInSeconds(5).setSkipDefaultAudienceValidation()
                        .setExpectedType(true, "pb+jwt")
                        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                        .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                        .build();
            } catch (JoseException e) {
                throw new IllegalStateException("The playback key set cannot be read", e);
            }
            consumer = c;
            consumerJwks = jwks;
        }
        return c;
    }

    /** Whether {@code ip} lies in {@code cidr} (e.g. 203.0.113.0/24, 2001:db8::/64). */
    static boolean inNetwork(String ip, String cidr) {
        try {
            int slash = cidr.indexOf('/');
            byte[] address = InetAddress.getByName(ip).getAddress();
            byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (address.length != network.length) {
                return false;
            }
            int shift = address.length * 8 - bits;
            return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}
