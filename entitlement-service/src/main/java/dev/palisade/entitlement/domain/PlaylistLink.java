package dev.palisade.entitlement.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A playlist link: the credential inside M3U URLs. It opens the account's lineup, guide and playback (nothing else),
 * can be revoked on its own, and only its SHA-256 digest is stored.
 */
@Entity
@Table(name = "playlist_link")
public class PlaylistLink {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    public String label;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "last_used_at")
    public OffsetDateTime lastUsedAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    /** The device id of sessions opened through this link. */
    public String deviceId() {
        return "playlist:" + id;
    }
}
