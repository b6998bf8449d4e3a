package dev.palisade.billing.domain;

/** Why a charge was made. */
public enum PaymentPurpose {
    SUBSCRIBE, RENEWAL, RETRY, PLAN_CHANGE
}
