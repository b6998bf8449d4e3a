package dev.palisade.billing.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.domain.Invoice;
import dev.palisade.billing.domain.InvoiceStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class InvoiceRepository implements PanacheRepositoryBase<Invoice, UUID> {

    public Uni<List<Invoice>> listForAccount(String accountId) {
        return list("accountId = ?1 order by issuedAt desc, number desc", accountId);
    }

    /** The invoice by id if the account owns it; someone else's looks exactly like a missing one. */
    public Uni<Invoice> findOwned(UUID id, String accountId) {
        return find("id = ?1 and accountId = ?2", id, accountId).firstResult();
    }

    /** The oldest invoice of a subscription still to be paid. */
    public Uni<Invoice> findOldestOpen(UUID subscriptionId) {
        return find("subscriptionId = ?1 and status = ?2 order by issuedAt, number", subscriptionId, InvoiceStatus.OPEN)
                .firstResult();
    }

    /** The next gap-free invoice number in the sequence. */
    public Uni<Long> nextNumber() {
        return getSession().chain(session -> session.createNativeQuery("SELECT nextval('invoice_number_seq')", Long.class)
                .getSingleResult());
    }
}
