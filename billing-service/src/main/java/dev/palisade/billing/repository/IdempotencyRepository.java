package dev.palisade.billing.repository;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.domain.IdempotencyRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class IdempotencyRepository implements PanacheRepositoryBase<IdempotencyRecord, IdempotencyRecord.Key> {

    /**
     * Claims a key for a request. When another transaction holds the same key, this waits until it ends.
     *
     * @return true when the key is new (or its previous use had expired and was dropped)
     */
    public Uni<Boolean> claim(String accountId, String key, String fingerprint, OffsetDateTime now, OffsetDateTime expiresAt) {
        return getSession().chain(session -> session.createNativeQuery(
                "DELETE FROM idempotency_key WHERE account_id = :account AND idem_key = :key AND expires_at <= :now")
                .setParameter("account", accountId).setParameter("key", key).setParameter("now", now).executeUpdate()
                .chain(() -> session.createNativeQuery(
                        "INSERT INTO idempotency_key (account_id, idem_key, fingerprint, created_at, expires_at)"
                                + " VALUES (:account, :key, :fingerprint, :now, :expires) ON CONFLICT DO NOTHING")
                        .setParameter("account", accountId).setParameter("key", key)
                        .setParameter("fingerprint", fingerprint).setParameter("now", now)
                        .setParameter("expires", expiresAt).executeUpdate()))
                .map(inserted -> inserted == 1);
    }

    public Uni<Void> complete(String accountId, String key, int status, String body) {
        return getSession().chain(session -> session.createNativeQuery(
                "UPDATE idempotency_key SET status_code = :status, response_body = :body"
                        + " WHERE account_id = :account AND idem_key = :key")
                .setParameter("status", status).setParameter("body", body)
                .setParameter("account", accountId).setParameter("key", key).executeUpdate())
                .replaceWithVoid();
    }

    public Uni<Long> deleteExpired(OffsetDateTime now) {
        return delete("expiresAt <= ?1", now);
    }
}
