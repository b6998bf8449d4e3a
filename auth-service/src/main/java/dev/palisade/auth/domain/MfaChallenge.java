package dev.palisade.auth.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The pending second step of a sign-in whose password was right: single use, short-lived. */
@Entity
@Table(name = "mfa_challenge")
public class MfaChallenge {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "device_id")
    public String deviceId;

    @Column(name = "user_agent")
    public String userAgent;

    public String ip;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;
}
