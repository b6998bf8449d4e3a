package dev.palisade.auth.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.domain.RecoveryCode;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class RecoveryCodeRepository implements PanacheRepository<RecoveryCode> {

    public Uni<RecoveryCode> findUnused(UUID accountId, String codeHash) {
        return find("accountId = ?1 and codeHash = ?2 and usedAt is null", accountId, codeHash).firstResult();
    }

    public Uni<Long> deleteAll(UUID accountId) {
        return delete("accountId", accountId);
    }

    public Uni<Long> countUnused(UUID accountId) {
        return count("accountId = ?1 and usedAt is null", accountId);
    }
}
