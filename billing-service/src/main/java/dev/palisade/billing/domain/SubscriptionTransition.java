package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One recorded change of a subscription (status changes, and plan changes, cancellations scheduled, resumes). */
@Entity
@Table(name = "subscription_transition")
public class SubscriptionTransition {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subscription_id", nullable = false, updatable = false)
    public UUID subscriptionId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status", updatable = false)
    public SubscriptionStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false, updatable = false)
    public SubscriptionStatus toStatus;

    @Column(nullable = false, updatable = false)
    public String reason;

    @Column(nullable = false, updatable = false)
    public OffsetDateTime at;
}
