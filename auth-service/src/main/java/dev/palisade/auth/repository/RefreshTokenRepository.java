package dev.palisade.auth.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.palisade.auth.domain.RefreshToken;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class RefreshTokenRepository implements PanacheRepositoryBase<RefreshToken, String> {

    /** The token row, locked so two concurrent uses cannot both succeed. */
    public Uni<RefreshToken> findForUpdate(String tokenHash) {
        return findById(tokenHash, LockModeType.PESSIMISTIC_WRITE);
    }
}
