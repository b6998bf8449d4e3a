package dev.palisade.billing.domain;

/** An issued invoice is immutable; only this status moves (open → paid, or open → void when dunning gives up). */
public enum InvoiceStatus {
    OPEN, PAID, VOID
}
