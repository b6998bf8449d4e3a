package dev.palisade.auth.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.domain.SigningKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKey, String> {

    /** Keys still published (next, current, previous). */
    public Uni<List<SigningKey>> published() {
        return list("status in ('next', 'current', 'previous') order by createdAt");
    }

    /** Serialises key rotation across replicas for the rest of the transaction. */
    public Uni<Void> lockRotation() {
        return getSession().chain(s -> s.createNativeQuery("SELECT pg_advisory_xact_lock(7215001)").getSingleResult())
                .replaceWithVoid();
    }
}
