package dev.palisade.billing.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The subscription state machine: {@code INCOMPLETE} (first payment outstanding) → {@code TRIALING} / {@code ACTIVE}
 * → {@code PAST_DUE} (a renewal failed, dunning runs) → {@code ACTIVE} again when paid, or {@code CANCELED}.
 */
public enum SubscriptionStatus {
    INCOMPLETE, TRIALING, ACTIVE, PAST_DUE, CANCELED;

    public Set<SubscriptionStatus> next() {
        return switch (this) {
            case INCOMPLETE -> EnumSet.of(TRIALING, ACTIVE, CANCELED);
            case TRIALING -> EnumSet.of(ACTIVE, PAST_DUE, CANCELED);
            case ACTIVE -> EnumSet.of(PAST_DUE, CANCELED);
            case PAST_DUE -> EnumSet.of(ACTIVE, CANCELED);
            case CANCELED -> EnumSet.noneOf(SubscriptionStatus.class);
        };
    }

    /** Whether the subscriber is entitled to watch in this state. */
    public boolean entitled() {
        return this == TRIALING || this == ACTIVE || this == PAST_DUE;
    }
}
