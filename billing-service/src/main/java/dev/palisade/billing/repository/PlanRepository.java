package dev.palisade.billing.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.domain.Plan;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class PlanRepository implements PanacheRepositoryBase<Plan, UUID> {

    public Uni<List<Plan>> listActive() {
        return list("active = true order by priceMinor, code");
    }

    public Uni<List<Plan>> listAll() {
        return list("order by code");
    }

    public Uni<Plan> findByCode(String code) {
        return find("code", code).firstResult();
    }
}
