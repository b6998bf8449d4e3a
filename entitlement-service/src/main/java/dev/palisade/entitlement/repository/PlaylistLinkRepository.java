package dev.palisade.entitlement.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.domain.PlaylistLink;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class PlaylistLinkRepository implements PanacheRepositoryBase<PlaylistLink, UUID> {

    /** The active link with this secret digest, or null. */
    public Uni<PlaylistLink> active(String secretHash) {
        return find("secretHash = ?1 and revokedAt is null", secretHash).firstResult();
    }

    public Uni<List<PlaylistLink>> activeOf(UUID accountId) {
        return list("accountId = ?1 and revokedAt is null order by createdAt", accountId);
    }
}
