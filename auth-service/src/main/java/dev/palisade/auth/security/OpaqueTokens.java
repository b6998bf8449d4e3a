package dev.palisade.auth.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random bearer secrets (refresh tokens, mfa tokens, recovery codes) and the SHA-256 digests under which they are
 * stored: the database never holds a usable secret, and lookups by digest need no comparison of secrets.
 */
public final class OpaqueTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray(); // no 0/o, 1/l/i

    private OpaqueTokens() {
    }

    /** 256 random bits, base64url. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A recovery code such as {@code k7mq-2x9d-pw4t} (12 symbols of 31: about 59 bits). */
    public static String newRecoveryCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(RECOVERY_ALPHABET[RANDOM.nextInt(RECOVERY_ALPHABET.length)]);
        }
        return code.toString();
    }

    /** Recovery codes are matched without dashes, spaces or case. */
    public static String normaliseRecoveryCode(String code) {
        return code == null ? "" : code.replaceAll("[\\s-]", "").toLowerCase(java.util.Locale.ROOT);
    }

    public static String digest(String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
