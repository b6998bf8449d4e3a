package dev.palisade.entitlement.domain;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What an account may watch now and on how many screens. Its row lock serialises the account's playback-session
 * starts; {@link #stateAt} orders updates so that an older event never overrides a newer state.
 */
@Entity
@Table(name = "entitlement")
public class Entitlement {

    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";

    @Id
    @Column(name = "account_id")
    public UUID accountId;

    @Column(nullable = false)
    public String status;

    @Column(name = "plan_id")
    public String planId;

    /** Comma-separated package ids. */
    @Column(nullable = false)
    public String packages;

    @Column(name = "max_streams", nullable = false)
    public int maxStreams;

    @Column(name = "overflow_policy", nullable = false)
    public String overflowPolicy;

    @Column(nullable = false)
    public String source;

    @Column(name = "state_at", nullable = false)
    public OffsetDateTime stateAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public Set<String> packageIds() {
        return Arrays.stream(packages.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public OverflowPolicy policy() {
        return OverflowPolicy.fromWire(overflowPolicy);
    }
}
