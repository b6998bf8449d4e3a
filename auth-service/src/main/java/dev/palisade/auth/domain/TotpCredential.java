package dev.palisade.auth.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account's TOTP secret (sealed with AES-256-GCM), pending until confirmed with a first code. */
@Entity
@Table(name = "totp_credential")
public class TotpCredential {

    @Id
    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "secret_cipher", nullable = false)
    public byte[] secretCipher;

    @Column(name = "secret_key_id", nullable = false)
    public String secretKeyId;

    @Column(name = "confirmed_at")
    public OffsetDateTime confirmedAt;

    /** The last time step whose code was accepted; codes of this step or earlier are refused. */
    @Column(name = "last_used_step")
    public Long lastUsedStep;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public boolean isConfirmed() {
        return confirmedAt != null;
    }
}
