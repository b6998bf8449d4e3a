package dev.palisade.billing.repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.domain.Payment;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class PaymentRepository implements PanacheRepositoryBase<Payment, UUID> {

    /** Locks the payment the gateway calls {@code gatewayPaymentId}. Call in a transaction. */
    public Uni<Payment> lockByGatewayId(String gateway, String gatewayPaymentId) {
        return getSession().chain(session -> session.createNativeQuery(
                "SELECT * FROM payment WHERE gateway = :gateway AND gateway_payment_id = :id FOR UPDATE", Payment.class)
                .setParameter("gateway", gateway).setParameter("id", gatewayPaymentId).getSingleResultOrNull());
    }

    /** Locks charges that have waited for the customer's action since before {@code before}, oldest first. */
    public Uni<List<Payment>> lockAwaitingActionSince(OffsetDateTime before, int limit) {
        return getSession().chain(session -> session.createNativeQuery(
                "SELECT * FROM payment WHERE status = 'REQUIRES_ACTION' AND attempted_at < :before"
                        + " ORDER BY attempted_at LIMIT :limit FOR UPDATE SKIP LOCKED", Payment.class)
                .setParameter("before", before).setParameter("limit", limit).getResultList());
    }

    public Uni<List<Payment>> listForSubscription(UUID subscriptionId) {
        return list("subscriptionId = ?1 order by attemptedAt", subscriptionId);
    }
}
