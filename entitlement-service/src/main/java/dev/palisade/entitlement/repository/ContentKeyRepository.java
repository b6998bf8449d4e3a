package dev.palisade.entitlement.repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.domain.ContentKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ContentKeyRepository implements PanacheRepositoryBase<ContentKey, UUID> {

    public Uni<ContentKey> forPeriod(String channelId, long period) {
        return find("channelId = ?1 and period = ?2", channelId, period).firstResult();
    }

    public Uni<ContentKey> forKid(String channelId, UUID kid) {
        return find("channelId = ?1 and kid = ?2", channelId, kid).firstResult();
    }

    public Uni<List<ContentKey>> range(String channelId, long fromPeriod, long toPeriod) {
        return list("channelId = ?1 and period >= ?2 and period <= ?3 order by period", channelId, fromPeriod, toPeriod);
    }

    /**
     * Inserts the key unless the channel already has one for that period (a concurrent request, another replica):
     * the first writer wins and everybody then reads the same key.
     */
    public Uni<Integer> insertIfAbsent(ContentKey key) {
        return getSession().chain(s -> s.createNativeQuery("""
                INSERT INTO content_key (channel_id, period, kid, kek_id, wrapped_key, not_before, not_after, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (channel_id, period) DO NOTHING""")
                .setParameter(1, key.channelId).setParameter(2, key.period).setParameter(3, key.kid).setParameter(4, key.kekId)
                .setParameter(5, key.wrappedKey).setParameter(6, key.notBefore).setParameter(7, key.notAfter)
                .setParameter(8, key.createdAt).executeUpdate());
    }

    /** Keys wrapped under another KEK than {@code activeKekId}, a batch at a time, locked for re-wrapping. */
    public Uni<List<ContentKey>> wrappedUnderOtherKek(String activeKekId, int limit) {
        return getSession().chain(s -> s.createNativeQuery(
                "SELECT * FROM content_key WHERE kek_id <> ?1 ORDER BY kid LIMIT ?2 FOR UPDATE SKIP LOCKED", ContentKey.class)
                .setParameter(1, activeKekId).setParameter(2, limit).getResultList());
    }

    public Uni<Long> countByKek(String kekId) {
        return count("kekId", kekId);
    }

    public Uni<List<Object[]>> countsByKek() {
        return getSession().chain(s -> s.createQuery("select k.kekId, count(k) from ContentKey k group by k.kekId", Object[].class)
                .getResultList());
    }

    /** Removes keys whose period ended before {@code cutoff} (nothing can play them any more). */
    public Uni<Long> deleteEndedBefore(OffsetDateTime cutoff) {
        return delete("notAfter < ?1", cutoff);
    }
}
