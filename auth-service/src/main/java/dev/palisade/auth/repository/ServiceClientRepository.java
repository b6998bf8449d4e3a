package dev.palisade.auth.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.domain.ServiceClient;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ServiceClientRepository implements PanacheRepositoryBase<ServiceClient, String> {
}
