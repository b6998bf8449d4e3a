package dev.palisade.billing.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.api.BillingProblems;
import dev.palisade.billing.repository.PlanRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** The plan catalogue, managed by operators. */
@ApplicationScoped
public class PlanService {

    /** What defines a plan; validated at the API. */
    public record PlanSpec(String code, String name, long priceMinor, String currency, BillingInterval billingInterval,
            int intervalCount, int trialDays, List<String> channelPackages, int maxStreams, StreamLimitPolicy streamLimitPolicy) {
    }

    private final PlanRepository plans;
    private final SubscriptionLedger ledger;
    private final Clock clock;

    PlanService(PlanRepository plans, SubscriptionLedger ledger, Clock clock) {
        this.plans = plans;
        this.ledger = ledger;
        this.clock = clock;
    }

    @WithSession
    public Uni<List<Plan>> listOnSale() {
        return plans.listActive();
    }

    @WithSession
    public Uni<List<Plan>> listAll() {
        return plans.listAll();
    }

    @WithSession
    public Uni<Plan> get(UUID id) {
        return plans.findById(id).map(plan -> {
            if (plan == null) {
                throw BillingProblems.notFound("Plan " + id);
            }
            return plan;
        });
    }

    @WithTransaction
    public Uni<Plan> create(PlanSpec spec) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return plans.findByCode(spec.code()).chain(existing -> {
            if (existing != null) {
                throw BillingProblems.conflict("plan-code-taken", "A plan with code " + spec.code() + " exists.");
            }
            Plan plan = new Plan();
            plan.id = UUID.randomUUID();
            plan.code = spec.code();
            plan.active = true;
            plan.createdAt = now;
            apply(plan, spec, now);
            return plans.persist(plan);
        });
    }

    /**
     * Changes a plan. Existing subscriptions see the new terms from their next renewal; price changes never touch
     * invoices already issued.
     */
    @WithTransaction
    public Uni<Plan> update(UUID id, PlanSpec spec) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return get(id).chain(plan -> {
            if (!plan.code.equals(spec.code())) {
                throw BillingProblems.unprocessable("plan-code-fixed", "Plan code cannot change", "code",
                        "The code of a plan is fixed; create a new plan instead.");
            }
            apply(plan, spec, now);
            return Uni.createFrom().item(plan);
        });
    }

    /** Takes a plan off sale; its subscribers keep it. */
    @WithTransaction
    public Uni<Plan> withdraw(UUID id) {
        return get(id).map(plan -> {
            plan.active = false;
            plan.updatedAt = OffsetDateTime.now(clock);
            return plan;
        });
    }

    public List<String> packages(Plan plan) {
        return ledger.packages(plan);
    }

    private void apply(Plan plan, PlanSpec spec, OffsetDateTime now) {
        plan.name = spec.name();
        plan.priceMinor = spec.priceMinor();
        plan.currency = spec.currency().toUpperCase(Locale.ROOT);
        plan.billingInterval = spec.billingInterval();
        plan.intervalCount = spec.intervalCount();
        plan.trialDays = spec.trialDays();
        plan.channelPackages = ledger.packagesJson(spec.channelPackages());
        plan.maxStreams = spec.maxStreams();
        plan.streamLimitPolicy = spec.streamLimitPolicy();
        plan.updatedAt = now;
    }
}
