package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.billing.messaging.BillingEvents;
import dev.palisade.billing.repository.PlanRepository;
import dev.palisade.billing.repository.SubscriptionTransitionRepository;
import io.smallrye.mutiny.Uni;

/** Records every change of a subscription and, in the same transaction, the event that announces it. */
@ApplicationScoped
public class SubscriptionLedger {

    private final SubscriptionTransitionRepository transitions;
    private final PlanRepository plans;
    private final BillingEvents events;
    private final ObjectMapper json;

    SubscriptionLedger(SubscriptionTransitionRepository transitions, PlanRepository plans, BillingEvents events,
            ObjectMapper json) {
        this.transitions = transitions;
        this.plans = plans;
        this.events = events;
        this.json = json;
    }

    /** Moves the subscription to {@code to}, records it, and enqueues {@code eventType} when not null. */
    public Uni<SubscriptionTransition> change(Subscription subscription, SubscriptionStatus to, String reason,
            OffsetDateTime now, String eventType) {
        return change(subscription, to, reason, now, eventType, null);
    }

    public Uni<SubscriptionTransition> change(Subscription subscription, SubscriptionStatus to, String reason,
            OffsetDateTime now, String eventType, UUID previousPlanId) {
        SubscriptionTransition transition = subscription.transition(to, reason, now);
        return record(subscription, transition, eventType, previousPlanId);
    }

    /** Records the creation of a subscription (a transition from nothing). */
    public Uni<SubscriptionTransition> created(Subscription subscription, String reason, OffsetDateTime now) {
        SubscriptionTransition transition = new SubscriptionTransition();
        transition.subscriptionId = subscription.id;
        transition.toStatus = subscription.status;
        transition.reason = reason;
        transition.at = now;
        return record(subscription, transition, null, null);
    }

    private Uni<SubscriptionTransition> record(Subscription subscription, SubscriptionTransition transition,
            String eventType, UUID previousPlanId) {
        return transitions.persist(transition).chain(saved -> {
            if (eventType == null) {
                return Uni.createFrom().item(saved);
            }
            return plans.findById(subscription.planId).chain(plan -> events
                    .subscription(eventType, subscription, plan, packages(plan), saved, previousPlanId)
                    .replaceWith(saved));
        });
    }

    /** The channel packages a plan includes. */
    public List<String> packages(Plan plan) {
        try {
            return json.readValue(plan.channelPackages, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Plan " + plan.code + " has unreadable channel packages", e);
        }
    }

    public String packagesJson(List<String> packages) {
        try {
            return json.writeValueAsString(packages);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
