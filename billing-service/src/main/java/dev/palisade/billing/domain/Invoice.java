package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A numbered invoice. Once issued nothing but {@link #status} and {@link #paidAt} changes (the database enforces it). */
@Entity
@Table(name = "invoice")
public class Invoice {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true, updatable = false)
    public String number;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "subscription_id", nullable = false, updatable = false)
    public UUID subscriptionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public InvoiceStatus status;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    public InvoiceReason reason;

    @Column(nullable = false, length = 3, updatable = false)
    public String currency;

    /** Sum of the lines in minor units; negative when it is a credit. */
    @Column(name = "total_minor", nullable = false, updatable = false)
    public long totalMinor;

    @Column(name = "period_start", nullable = false, updatable = false)
    public OffsetDateTime periodStart;

    @Column(name = "period_end", nullable = false, updatable = false)
    public OffsetDateTime periodEnd;

    @Column(name = "issued_at", nullable = false, updatable = false)
    public OffsetDateTime issuedAt;

    @Column(name = "paid_at")
    public OffsetDateTime paidAt;
}
