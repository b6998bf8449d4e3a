package dev.palisade.auth.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.domain.AuthSession;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class AuthSessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    public Uni<List<AuthSession>> active(UUID accountId) {
        return list("accountId = ?1 and revokedAt is null order by lastSeenAt desc", accountId);
    }
}
