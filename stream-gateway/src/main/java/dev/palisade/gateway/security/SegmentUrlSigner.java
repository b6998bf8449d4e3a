package dev.palisade.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.gateway.config.GatewayConfig;

/**
 * Signs and checks the segment URLs the gateway writes into media playlists. A segment URL carries, in its
 * {@code a} parameter, the session grant (session id, account id, watermark id, expiry, optional network) and is
 * signed with HMAC-SHA256 (truncated to 128 bits, {@code s}) over the exact path, the origin object, the key period
 * and that grant: changing any of them, or using it after expiry, is refused. Replicas share the key
 * ({@code palisade.gateway.url-signing-key}).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class SegmentUrlSigner {

    private static final Logger LOG = Logger.getLogger(SegmentUrlSigner.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;

    /** What a segment URL grants. */
    public record Grant(String sessionId, String accountId, long watermarkId, long expiresAt, String network) {

        String encode() {
            String raw = sessionId + "|" + accountId + "|" + watermarkId + "|" + expiresAt + "|" + (network == null ? "" : network);
            return B64.encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Grant decode(String a) {
            String raw = new String(B64D.decode(a), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", -1);
            if (parts.length != 5) {
                throw new IllegalArgumentException("grant");
            }
            return new Grant(parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                    parts[4].isEmpty() ? null : parts[4]);
        }
    }

    private final ThreadLocal<Mac> macs;

    SegmentUrlSigner(GatewayConfig config) {
        byte[] secret;
        if (config.urlSigningKey().isPresent()) {
            String text = config.urlSigningKey().get().trim();
            try {
                // base64 or base64url, padded or not
                secret = Base64.getDecoder().decode(text.replace('-', '+').replace('_', '/').replace("=", "")
                        + "==".substring(0, (4 - text.replace("=", "").length() % 4) % 4));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("palisade.gateway.url-signing-key is not base64: " + e.getMessage());
            }
            if (secret.length < 32) {
                throw new IllegalStateException("palisade.gateway.url-signing-key must be at least 32 bytes (base64)");
            }
        } else {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            LOG.warn("palisade.gateway.url-signing-key is not set: segment URLs are signed with a random key of this instance"
                    + " (they will not survive a restart nor work across replicas)");
        }
        this.macs = HmacSha256.perThread(secret);
    }

    /** The {@code a} parameter for a grant. */
    public String grant(Grant grant) {
        return grant.encode();
    }

    /** The {@code s} parameter: the signature over path, origin object, key period and grant. */
    public String sign(String path, String origin, long period, String grant) {
        return B64.encodeToString(mac(path, origin, period, grant));
    }

    /** The grant of a correctly signed URL, or {@code null} if the signature does not match or is malformed. */
    public Grant verify(String path, String origin, long period, String grant, String signature) {
        if (grant == null || signature == null || origin == null) {
            return null;
        }
        byte[] given;
        try {
            given = B64D.decode(signature);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(mac(path, origin, period, grant), given)) {
            return null;
        }
        try {
            return Grant.decode(grant);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private byte[] mac(String path, String origin, long period, String grant) {
        Mac mac = macs.get();
        mac.update(path.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(origin.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(Long.toString(period).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 0);
        mac.update(grant.getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }
}
