package dev.palisade.entitlement.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One stream being watched: counted against the plan's limit until stopped, revoked or silent past its expiry. */
@Entity
@Table(name = "playback_session")
public class PlaybackSession {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "channel_id", nullable = false)
    public String channelId;

    @Column(name = "device_id")
    public String deviceId;

    @Column(name = "client_ip")
    public String clientIp;

    /** Forensic watermark identity of this session (drives its A/B segment pattern). */
    @Column(name = "watermark_id", nullable = false)
    public long watermarkId;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;

    @Column(name = "last_heartbeat_at", nullable = false)
    public OffsetDateTime lastHeartbeatAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    @Column(name = "end_reason")
    public String endReason;

    public boolean isLive(OffsetDateTime now) {
        return endedAt == null && expiresAt.isAfter(now);
    }

    public void end(String reason, OffsetDateTime now) {
        if (endedAt == null) {
            endedAt = now;
            endReason = reason;
        }
    }
}
