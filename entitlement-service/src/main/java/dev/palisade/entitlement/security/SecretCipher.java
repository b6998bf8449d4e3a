package dev.palisade.entitlement.security;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.config.KeyProtectionConfig;

/**
 * AES-256-GCM for keys at rest (content keys, playback signing keys), with key ids for rotation: new data is sealed with the active key, and any
 * configured key opens what it sealed. The key id is bound to the ciphertext as associated data, so a blob cannot
 * be passed off as sealed by another key. Layout: 12-byte random nonce, then ciphertext with its 16-byte tag.
 */
@ApplicationScoped
public class SecretCipher {

    /** A sealed secret and the id of the key that sealed it. */
    public record Sealed(String keyId, byte[] ciphertext) {
    }

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKey> keys = new HashMap<>();
    private final String activeKeyId;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(KeyProtectionConfig config) {
        config.keys().forEach(entry -> {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new IllegalStateException("palisade.entitlement.encryption.keys entries must be 'id:base64'");
            }
            String id = entry.substring(0, colon).trim();
            byte[] key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            if (key.length != 32) {
                throw new IllegalStateException("palisade.entitlement.encryption.keys." + id + " must be 32 bytes (base64), got " + key.length);
            }
            keys.put(id, new SecretKeySpec(key, "AES"));
        });
        this.activeKeyId = config.activeKeyId();
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException("palisade.entitlement.encryption.active-key-id '" + activeKeyId + "' names no configured key");
        }
    }

    public Sealed seal(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(activeKeyId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return new Sealed(activeKeyId, ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] open(Sealed sealed) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("No encryption key with id '" + sealed.keyId() + "' is configured");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.ciphertext(), 0, NONCE_BYTES));
            cipher.updateAAD(sealed.keyId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(sealed.ciphertext(), NONCE_BYTES, sealed.ciphertext().length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed (wrong key or altered data)", e);
        }
    }

    public String activeKeyId() {
        return activeKeyId;
    }
}
