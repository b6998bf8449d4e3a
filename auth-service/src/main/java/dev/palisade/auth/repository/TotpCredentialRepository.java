package dev.palisade.auth.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.domain.TotpCredential;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class TotpCredentialRepository implements PanacheRepositoryBase<TotpCredential, UUID> {
}
