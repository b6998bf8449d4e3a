package dev.palisade.entitlement.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.palisade.entitlement.domain.Entitlement;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class EntitlementRepository implements PanacheRepositoryBase<Entitlement, UUID> {

    /** The account's entitlement, row-locked: serialises everything that counts its streams. */
    public Uni<Entitlement> lock(UUID accountId) {
        return findById(accountId, LockModeType.PESSIMISTIC_WRITE);
    }
}
