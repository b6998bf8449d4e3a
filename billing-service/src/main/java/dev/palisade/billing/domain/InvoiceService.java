package dev.palisade.billing.domain;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.api.BillingProblems;
import dev.palisade.billing.repository.InvoiceLineRepository;
import dev.palisade.billing.repository.InvoiceRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** A subscriber's invoices; only their own are ever visible. */
@ApplicationScoped
public class InvoiceService {

    public record InvoiceWithLines(Invoice invoice, List<InvoiceLine> lines) {
    }

    private final InvoiceRepository invoices;
    private final InvoiceLineRepository lines;

    InvoiceService(InvoiceRepository invoices, InvoiceLineRepository lines) {
        this.invoices = invoices;
        this.lines = lines;
    }

    @WithSession
    public Uni<List<Invoice>> list(String account) {
        return invoices.listForAccount(account);
    }

    @WithSession
    public Uni<InvoiceWithLines> get(String account, UUID id) {
        return invoices.findOwned(id, account).chain(invoice -> {
            if (invoice == null) {
                throw BillingProblems.notFound("Invoice " + id);
            }
            return lines.linesOf(invoice.id).map(found -> new InvoiceWithLines(invoice, found));
        });
    }
}
