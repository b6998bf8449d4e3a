package dev.palisade.entitlement.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.domain.PlaybackSigningKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class PlaybackSigningKeyRepository implements PanacheRepositoryBase<PlaybackSigningKey, String> {

    /** Keys still published (next, current, previous). */
    public Uni<List<PlaybackSigningKey>> published() {
        return list("status in ('next', 'current', 'previous') order by createdAt");
    }

    /** Serialises key rotation across replicas for the rest of the transaction. */
    public Uni<Void> lockRotation() {
        return getSession().chain(s -> s.createNativeQuery("SELECT pg_advisory_xact_lock(7215002)").getSingleResult())
                .replaceWithVoid();
    }
}
