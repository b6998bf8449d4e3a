package dev.palisade.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.palisade.billing.domain.Proration;

/** Proration in integer minor units, proportional to the seconds left in the period. */
class ProrationTest {

    static final OffsetDateTime START = OffsetDateTime.of(2026, 11, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    static final OffsetDateTime END = START.plusDays(30);

    @Test
    void upgradeHalfWayChargesHalfTheDifference() {
        Proration p = Proration.of(1000, 3000, START, END, START.plusDays(15));
        assertThat(p.creditMinor()).isEqualTo(500);
        assertThat(p.chargeMinor()).isEqualTo(1500);
        assertThat(p.netMinor()).isEqualTo(1000);
    }

    @Test
    void downgradeGivesACredit() {
        Proration p = Proration.of(3000, 1000, START, END, START.plusDays(20));
        assertThat(p.netMinor()).isEqualTo(-667);
    }

    @Test
    void roundsDownAndNeverOverflows() {
        Proration p = Proration.of(999, 1999, START, END, START.plusDays(10));
        assertThat(p.creditMinor()).isEqualTo(666);
        assertThat(p.chargeMinor()).isEqualTo(1332);
        Proration huge = Proration.of(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2, START, END, START);
        assertThat(huge.netMinor()).isZero();
    }

    @Test
    void atOrAfterThePeriodEndNothingIsProrated() {
        assertThat(Proration.of(1000, 3000, START, END, END.plusDays(1)).netMinor()).isZero();
    }
}
