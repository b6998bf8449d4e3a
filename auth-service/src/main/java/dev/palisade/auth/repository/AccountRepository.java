package dev.palisade.auth.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.domain.Account;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, UUID> {

    public Uni<Account> findByEmail(String normalisedEmail) {
        return find("email", normalisedEmail).firstResult();
    }
}
