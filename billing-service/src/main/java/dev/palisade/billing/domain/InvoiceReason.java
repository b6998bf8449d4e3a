package dev.palisade.billing.domain;

/** What an invoice bills. */
public enum InvoiceReason {
    SUBSCRIBE, RENEWAL, PLAN_CHANGE
}
