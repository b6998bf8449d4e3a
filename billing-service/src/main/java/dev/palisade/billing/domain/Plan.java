package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A plan subscribers can buy: its price (minor units + ISO currency), period, trial and what it includes. */
@Entity
@Table(name = "plan")
public class Plan {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String code;

    @Column(nullable = false)
    public String name;

    /** Price per period in minor units of {@link #currency} (cents for EUR). */
    @Column(name = "price_minor", nullable = false)
    public long priceMinor;

    /** ISO 4217 code, upper case. */
    @Column(nullable = false, length = 3)
    public String currency;

    @Enumerated(EnumType.STRING)
    @Column(name = "billing_interval", nullable = false)
    public BillingInterval billingInterval;

    @Column(name = "interval_count", nullable = false)
    public int intervalCount;

    @Column(name = "trial_days", nullable = false)
    public int trialDays;

    /** The channel packages included, as a JSON array of package codes. */
    @Column(name = "channel_packages", nullable = false)
    public String channelPackages;

    @Column(name = "max_streams", nullable = false)
    public int maxStreams;

    @Enumerated(EnumType.STRING)
    @Column(name = "stream_limit_policy", nullable = false)
    public StreamLimitPolicy streamLimitPolicy;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Version
    public Long version;

    /** The end of a billing period that starts at {@code start}. */
    public OffsetDateTime periodEnd(OffsetDateTime start) {
        return billingInterval.after(start, intervalCount);
    }
}
