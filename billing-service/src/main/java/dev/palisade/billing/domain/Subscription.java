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

/** An account's subscription to a plan; its status only moves along {@link SubscriptionStatus#next()}. */
@Entity
@Table(name = "subscription")
public class Subscription {

    @Id
    public UUID id;

    /** The account (the {@code sub} of its tokens); also the Kafka key of its events. */
    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "plan_id", nullable = false)
    public UUID planId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SubscriptionStatus status;

    @Column(name = "payment_method_id")
    public UUID paymentMethodId;

    @Column(name = "current_period_start", nullable = false)
    public OffsetDateTime currentPeriodStart;

    @Column(name = "current_period_end", nullable = false)
    public OffsetDateTime currentPeriodEnd;

    @Column(name = "trial_end")
    public OffsetDateTime trialEnd;

    @Column(name = "cancel_at_period_end", nullable = false)
    public boolean cancelAtPeriodEnd;

    @Column(name = "canceled_at")
    public OffsetDateTime canceledAt;

    /** When the renewal that started dunning failed. */
    @Column(name = "past_due_since")
    public OffsetDateTime pastDueSince;

    @Column(name = "next_retry_at")
    public OffsetDateTime nextRetryAt;

    /** Failed retries since {@link #pastDueSince}. */
    @Column(name = "retry_count", nullable = false)
    public int retryCount;

    /** A charge for this subscription still in flight at the gateway; nothing else is charged meanwhile. */
    @Column(name = "pending_payment_id")
    public UUID pendingPaymentId;

    /** Credit in minor units (from downgrades), taken off the next invoices. */
    @Column(name = "credit_minor", nullable = false)
    public long creditMinor;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Version
    public Long version;

    /**
     * Moves to {@code to} (or records a change within the same status when {@code to} equals the current one).
     *
     * @return the transition to persist
     * @throws IllegalStateException when the state machine does not allow it
     */
    public SubscriptionTransition transition(SubscriptionStatus to, String reason, OffsetDateTime now) {
        if (to != status && !status.next().contains(to)) {
            throw new IllegalStateException("Subscription " + id + " cannot go from " + status + " to " + to);
        }
        SubscriptionTransition transition = new SubscriptionTransition();
        transition.subscriptionId = id;
        transition.fromStatus = status;
        transition.toStatus = to;
        transition.reason = reason;
        transition.at = now;
        status = to;
        updatedAt = now;
        if (to == SubscriptionStatus.CANCELED) {
            canceledAt = now;
            cancelAtPeriodEnd = false;
            nextRetryAt = null;
            pendingPaymentId = null;
        }
        return transition;
    }

    public boolean isOwnedBy(String account) {
        return accountId.equals(account);
    }
}
