package dev.palisade.billing.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.domain.InvoiceLine;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class InvoiceLineRepository implements PanacheRepository<InvoiceLine> {

    public Uni<List<InvoiceLine>> linesOf(UUID invoiceId) {
        return list("invoiceId = ?1 order by position", invoiceId);
    }
}
