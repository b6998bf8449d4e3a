package dev.palisade.entitlement.config;

import java.util.List;

import io.smallrye.config.ConfigMapping;

/** Key-encryption keys (AES-256-GCM) that seal content keys and playback signing keys at rest. */
@ConfigMapping(prefix = "palisade.entitlement.encryption")
public interface KeyProtectionConfig {

    /** The key id that seals new keys. */
    String activeKeyId();

    /** Keys as {@code id:base64} (32 random bytes each); keep old ids listed until nothing sealed with them remains. */
    List<String> keys();
}
