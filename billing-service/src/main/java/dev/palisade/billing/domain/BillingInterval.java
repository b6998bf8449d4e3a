package dev.palisade.billing.domain;

import java.time.OffsetDateTime;

/** How often a plan bills; a period is {@code intervalCount} of these. */
public enum BillingInterval {
    DAY, WEEK, MONTH, YEAR;

    /** The end of a period that starts at {@code start} (calendar arithmetic, so months keep their day). */
    public OffsetDateTime after(OffsetDateTime start, int count) {
        return switch (this) {
            case DAY -> start.plusDays(count);
            case WEEK -> start.plusWeeks(count);
            case MONTH -> start.plusMonths(count);
            case YEAR -> start.plusYears(count);
        };
    }
}
