package dev.palisade.billing.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.domain.SubscriptionTransition;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SubscriptionTransitionRepository implements PanacheRepository<SubscriptionTransition> {

    public Uni<List<SubscriptionTransition>> history(UUID subscriptionId) {
        return list("subscriptionId = ?1 order by id", subscriptionId);
    }
}
