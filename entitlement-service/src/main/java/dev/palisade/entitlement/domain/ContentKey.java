package dev.palisade.entitlement.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A channel's content key for one key period, as stored: wrapped (AES-256-GCM) under the key-encryption key
 * {@link #kekId}. The clear key only exists in memory while it is being delivered.
 */
@Entity
@Table(name = "content_key")
public class ContentKey {

    @Id
    public UUID kid;

    @Column(name = "channel_id", nullable = false)
    public String channelId;

    @Column(nullable = false)
    public long period;

    @Column(name = "kek_id", nullable = false)
    public String kekId;

    @Column(name = "wrapped_key", nullable = false)
    public byte[] wrappedKey;

    @Column(name = "not_before", nullable = false)
    public OffsetDateTime notBefore;

    @Column(name = "not_after", nullable = false)
    public OffsetDateTime notAfter;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
