package dev.palisade.entitlement.domain;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An ES256 playback-token signing key: next (published ahead), current (signs), previous (still verifies), retired. */
@Entity
@Table(name = "playback_signing_key")
public class PlaybackSigningKey {

    public static final String NEXT = "next";
    public static final String CURRENT = "current";
    public static final String PREVIOUS = "previous";
    public static final String RETIRED = "retired";

    @Id
    public String kid;

    @Column(nullable = false)
    public String status;

    /** The public half as a JWK (JSON). */
    @Column(name = "public_jwk", nullable = false)
    public String publicJwk;

    /** PKCS#8 private key sealed with AES-256-GCM. */
    @Column(name = "private_cipher", nullable = false)
    public byte[] privateCipher;

    @Column(name = "private_key_id", nullable = false)
    public String privateKeyId;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;

    @Column(name = "retired_at")
    public OffsetDateTime retiredAt;
}
