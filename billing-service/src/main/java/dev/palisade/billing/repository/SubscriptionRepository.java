package dev.palisade.billing.repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.domain.Subscription;
import dev.palisade.billing.domain.SubscriptionStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SubscriptionRepository implements PanacheRepositoryBase<Subscription, UUID> {

    /** The account's subscription that is not canceled, if any (there is at most one). */
    public Uni<Subscription> findLive(String accountId) {
        return find("accountId = ?1 and status <> ?2", accountId, SubscriptionStatus.CANCELED).firstResult();
    }

    public Uni<List<Subscription>> listForAccount(String accountId) {
        return list("accountId = ?1 order by createdAt desc", accountId);
    }

    /** The subscription by id if the account owns it; someone else's looks exactly like a missing one. */
    public Uni<Subscription> findOwned(UUID id, String accountId) {
        return find("id = ?1 and accountId = ?2", id, accountId).firstResult();
    }

    /** Locks subscriptions whose period ended and that have no charge in flight. Call in a transaction. */
    public Uni<List<Subscription>> lockDueForRenewal(OffsetDateTime now, int limit) {
        return getSession().chain(session -> session.createNativeQuery(
                "SELECT * FROM subscription WHERE status IN ('TRIALING', 'ACTIVE') AND current_period_end <= :now"
                        + " AND pending_payment_id IS NULL ORDER BY current_period_end LIMIT :limit FOR UPDATE SKIP LOCKED",
                Subscription.class).setParameter("now", now).setParameter("limit", limit).getResultList());
    }

    /** Locks past-due subscriptions whose next dunning step is due. Call in a transaction. */
    public Uni<List<Subscription>> lockDueForDunning(OffsetDateTime now, int limit) {
        return getSession().chain(session -> session.createNativeQuery(
                "SELECT * FROM subscription WHERE status = 'PAST_DUE' AND next_retry_at <= :now"
                        + " AND pending_payment_id IS NULL ORDER BY next_retry_at LIMIT :limit FOR UPDATE SKIP LOCKED",
                Subscription.class).setParameter("now", now).setParameter("limit", limit).getResultList());
    }
}
