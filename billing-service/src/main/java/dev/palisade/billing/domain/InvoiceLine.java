package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One line of an invoice (immutable). */
@Entity
@Table(name = "invoice_line")
public class InvoiceLine {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "invoice_id", nullable = false, updatable = false)
    public UUID invoiceId;

    @Column(nullable = false, updatable = false)
    public int position;

    @Column(nullable = false, updatable = false)
    public String description;

    @Column(name = "amount_minor", nullable = false, updatable = false)
    public long amountMinor;

    @Column(name = "period_start", nullable = false, updatable = false)
    public OffsetDateTime periodStart;

    @Column(name = "period_end", nullable = false, updatable = false)
    public OffsetDateTime periodEnd;

    @Column(nullable = false, updatable = false)
    public boolean proration;

    public static InvoiceLine of(String description, long amountMinor, OffsetDateTime start, OffsetDateTime end, boolean proration) {
        InvoiceLine line = new InvoiceLine();
        line.description = description;
        line.amountMinor = amountMinor;
        line.periodStart = start;
        line.periodEnd = end;
        line.proration = proration;
        return line;
    }
}
