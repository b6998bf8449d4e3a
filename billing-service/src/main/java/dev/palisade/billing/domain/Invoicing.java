package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.config.BillingConfig;
import dev.palisade.billing.repository.InvoiceLineRepository;
import dev.palisade.billing.repository.InvoiceRepository;
import io.smallrye.mutiny.Uni;

/** Issues numbered invoices with their lines; an issued invoice is never edited again. */
@ApplicationScoped
public class Invoicing {

    private final InvoiceRepository invoices;
    private final InvoiceLineRepository lines;
    private final BillingConfig config;

    Invoicing(InvoiceRepository invoices, InvoiceLineRepository lines, BillingConfig config) {
        this.invoices = invoices;
        this.lines = lines;
        this.config = config;
    }

    /** Issues an invoice over {@code items}; one whose total is not positive is settled at once (nothing to collect). */
    public Uni<Invoice> issue(Subscription subscription, InvoiceReason reason, String currency, List<InvoiceLine> items,
            OffsetDateTime periodStart, OffsetDateTime periodEnd, OffsetDateTime now) {
        return invoices.nextNumber().chain(sequence -> {
            Invoice invoice = new Invoice();
            invoice.id = UUID.randomUUID();
            invoice.number = "%s-%d-%06d".formatted(config.invoicePrefix(), now.getYear(), sequence);
            invoice.accountId = subscription.accountId;
            invoice.subscriptionId = subscription.id;
            invoice.reason = reason;
            invoice.currency = currency;
            invoice.totalMinor = items.stream().mapToLong(l -> l.amountMinor).sum();
            invoice.status = invoice.totalMinor > 0 ? InvoiceStatus.OPEN : InvoiceStatus.PAID;
            invoice.paidAt = invoice.totalMinor > 0 ? null : now;
            invoice.periodStart = periodStart;
            invoice.periodEnd = periodEnd;
            invoice.issuedAt = now;
            return invoices.persist(invoice).call(saved -> {
                int position = 1;
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (InvoiceLine item : items) {
                    item.invoiceId = saved.id;
                    item.position = position++;
                    chain = chain.chain(() -> lines.persist(item).replaceWithVoid());
                }
                return chain;
            });
        });
    }
}
