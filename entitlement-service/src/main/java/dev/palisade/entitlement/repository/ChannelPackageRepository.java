package dev.palisade.entitlement.repository;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.domain.ChannelPackage;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ChannelPackageRepository implements PanacheRepositoryBase<ChannelPackage, String> {
}
