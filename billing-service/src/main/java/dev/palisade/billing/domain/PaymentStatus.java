package dev.palisade.billing.domain;

/** A charge at the gateway: in flight, waiting for the customer (e.g. 3-D Secure), or settled either way. */
public enum PaymentStatus {
    PROCESSING, REQUIRES_ACTION, SUCCEEDED, FAILED;

    public boolean settled() {
        return this == SUCCEEDED || this == FAILED;
    }
}
