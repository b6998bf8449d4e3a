package dev.palisade.auth.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One sign-in on one device; its id is the {@code sid} of every access token issued for it. */
@Entity
@Table(name = "auth_session")
public class AuthSession {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    /** {@code aal1} (password) or {@code aal2} (password and second factor). */
    @Column(nullable = false)
    public String acr;

    /** Comma-separated authentication methods: pwd, otp, rec. */
    @Column(nullable = false)
    public String amr;

    @Column(name = "device_id")
    public String deviceId;

    @Column(name = "user_agent")
    public String userAgent;

    public String ip;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "last_seen_at", nullable = false)
    public OffsetDateTime lastSeenAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    public boolean isActive() {
        return revokedAt == null;
    }

    public void revoke(String reason, OffsetDateTime now) {
        if (revokedAt == null) {
            revokedAt = now;
            revokedReason = reason;
        }
    }
}
