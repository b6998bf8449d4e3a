package dev.palisade.auth.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.palisade.auth.domain.MfaChallenge;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class MfaChallengeRepository implements PanacheRepositoryBase<MfaChallenge, String> {

    public Uni<MfaChallenge> findForUpdate(String tokenHash) {
        return findById(tokenHash, LockModeType.PESSIMISTIC_WRITE);
    }
}
