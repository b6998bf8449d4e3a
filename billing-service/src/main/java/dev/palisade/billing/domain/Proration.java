package dev.palisade.billing.domain;

import java.math.BigInteger;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Proration of a plan change inside a billing period, in integer minor units: the unused part of the old price is
 * credited and the remaining part of the new price is charged, both in proportion to the seconds left (rounded down,
 * never in the customer's disfavour by more than one minor unit).
 */
public record Proration(long creditMinor, long chargeMinor) {

    public static Proration of(long oldPriceMinor, long newPriceMinor, OffsetDateTime periodStart, OffsetDateTime periodEnd,
            OffsetDateTime now) {
        long total = Math.max(1, Duration.between(periodStart, periodEnd).toSeconds());
        long left = Math.max(0, Math.min(total, Duration.between(now, periodEnd).toSeconds()));
        return new Proration(share(oldPriceMinor, left, total), share(newPriceMinor, left, total));
    }

    /** What the customer owes now (negative: a credit to keep for later invoices). */
    public long netMinor() {
        return chargeMinor - creditMinor;
    }

    private static long share(long price, long part, long whole) {
        return BigInteger.valueOf(price).multiply(BigInteger.valueOf(part)).divide(BigInteger.valueOf(whole)).longValueExact();
    }
}
