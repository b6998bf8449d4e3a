package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A charge of an invoice through the payment gateway. */
@Entity
@Table(name = "payment")
public class Payment {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "subscription_id", nullable = false, updatable = false)
    public UUID subscriptionId;

    @Column(name = "invoice_id", nullable = false, updatable = false)
    public UUID invoiceId;

    @Column(name = "payment_method_id", nullable = false, updatable = false)
    public UUID paymentMethodId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    public PaymentPurpose purpose;

    @Column(name = "amount_minor", nullable = false, updatable = false)
    public long amountMinor;

    @Column(nullable = false, length = 3, updatable = false)
    public String currency;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PaymentStatus status;

    @Column(nullable = false, updatable = false)
    public String gateway;

    @Column(name = "gateway_payment_id")
    public String gatewayPaymentId;

    @Column(name = "next_action_url")
    public String nextActionUrl;

    @Column(name = "failure_code")
    public String failureCode;

    /** The billing time the charge was made at; dunning counts from it. */
    @Column(name = "attempted_at", nullable = false, updatable = false)
    public OffsetDateTime attemptedAt;

    @Column(name = "settled_at")
    public OffsetDateTime settledAt;
}
