package dev.palisade.billing.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.api.BillingProblems;
import dev.palisade.billing.messaging.BillingEvents;
import dev.palisade.billing.repository.PaymentMethodRepository;
import dev.palisade.billing.repository.PlanRepository;
import dev.palisade.billing.repository.SubscriptionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** A subscriber's own subscription: subscribe, change plan, cancel, resume, change the card. */
@ApplicationScoped
public class SubscriptionService {

    /** A subscription with the charge a request made, if it made one. */
    public record Outcome(Subscription subscription, Plan plan, Payment payment) {
    }

    /** What a plan change would cost now, without changing anything. */
    public record PlanChangePreview(Subscription subscription, Plan from, Plan to, List<InvoiceLine> lines, long amountDueMinor,
            long creditMinor, String currency) {
    }

    private final SubscriptionRepository subscriptions;
    private final PlanRepository plans;
    private final PaymentMethodRepository methods;
    private final PaymentGateways gateways;
    private final SubscriptionLedger ledger;
    private final Invoicing invoicing;
    private final Charges charges;
    private final Clock clock;

    SubscriptionService(SubscriptionRepository subscriptions, PlanRepository plans, PaymentMethodRepository methods,
            PaymentGateways gateways, SubscriptionLedger ledger, Invoicing invoicing, Charges charges, Clock clock) {
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.methods = methods;
        this.gateways = gateways;
        this.ledger = ledger;
        this.invoicing = invoicing;
        this.charges = charges;
        this.clock = clock;
    }

    /**
     * Subscribes the account to a plan with a gateway card token. A plan with a trial starts trialing at once; otherwise
     * the first period is charged and the subscription becomes active when the gateway confirms the payment.
     */
    @WithTransaction
    public Uni<Outcome> subscribe(String account, UUID planId, String cardToken) {
        OffsetDateTime now = now();
        return plans.findById(planId).chain(plan -> {
            if (plan == null || !plan.active) {
                throw BillingProblems.unprocessable("unknown-plan", "Unknown plan", "planId", "There is no such plan on sale.");
            }
            return subscriptions.findLive(account).chain(live -> {
                if (live != null) {
                    throw BillingProblems.conflict("subscription-exists",
                            "This account already has a subscription; change its plan instead.");
                }
                return attach(account, cardToken, now).chain(method -> start(account, plan, method, now));
            });
        });
    }

    private Uni<Outcome> start(String account, Plan plan, PaymentMethod method, OffsetDateTime now) {
        Subscription subscription = new Subscription();
        subscription.id = UUID.randomUUID();
        subscription.accountId = account;
        subscription.planId = plan.id;
        subscription.paymentMethodId = method.id;
        subscription.status = SubscriptionStatus.INCOMPLETE;
        subscription.currentPeriodStart = now;
        subscription.currentPeriodEnd = plan.trialDays > 0 ? now.plusDays(plan.trialDays) : plan.periodEnd(now);
        subscription.createdAt = now;
        subscription.updatedAt = now;
        return subscriptions.persist(subscription)
                .call(saved -> ledger.created(saved, "subscribed to " + plan.code, now))
                .chain(saved -> {
                    if (plan.trialDays > 0) {
                        saved.trialEnd = saved.currentPeriodEnd;
                        return ledger.change(saved, SubscriptionStatus.TRIALING, "trial started", now,
                                BillingEvents.SUBSCRIPTION_ACTIVATED).map(t -> new Outcome(saved, plan, null));
                    }
                    List<InvoiceLine> lines = List.of(InvoiceLine.of(plan.name, plan.priceMinor, saved.currentPeriodStart,
                            saved.currentPeriodEnd, false));
                    return invoicing.issue(saved, InvoiceReason.SUBSCRIBE, plan.currency, lines, saved.currentPeriodStart,
                            saved.currentPeriodEnd, now).chain(invoice -> {
                                if (invoice.status == InvoiceStatus.PAID) {
                                    return ledger.change(saved, SubscriptionStatus.ACTIVE, "nothing to pay", now,
                                            BillingEvents.SUBSCRIPTION_ACTIVATED).map(t -> new Outcome(saved, plan, null));
                                }
                                return charges.charge(saved, invoice, PaymentPurpose.SUBSCRIBE, now)
                                        .map(payment -> new Outcome(saved, plan, payment));
                            });
                });
    }

    @WithSession
    public Uni<List<Subscription>> list(String account) {
        return subscriptions.listForAccount(account);
    }

    @WithSession
    public Uni<Subscription> get(String account, UUID id) {
        return owned(account, id);
    }

    @WithSession
    public Uni<Plan> planOf(Subscription subscription) {
        return plans.findById(subscription.planId);
    }

    @WithSession
    public Uni<PlanChangePreview> previewPlanChange(String account, UUID id, UUID planId) {
        return owned(account, id).chain(subscription -> target(subscription, planId)
                .chain(to -> plans.findById(subscription.planId).map(from -> preview(subscription, from, to, now()))));
    }

    /** Switches to another plan at once; an active subscription is charged (or credited) the prorated difference. */
    @WithTransaction
    public Uni<Outcome> changePlan(String account, UUID id, UUID planId) {
        OffsetDateTime now = now();
        return owned(account, id).chain(subscription -> target(subscription, planId).chain(to -> plans
                .findById(subscription.planId).chain(from -> {
                    PlanChangePreview preview = preview(subscription, from, to, now);
                    subscription.planId = to.id;
                    Uni<SubscriptionTransition> recorded = ledger.change(subscription, subscription.status,
                            "plan changed from " + from.code + " to " + to.code, now,
                            BillingEvents.SUBSCRIPTION_PLAN_CHANGED, from.id);
                    if (preview.lines().isEmpty()) {
                        return recorded.map(t -> new Outcome(subscription, to, null));
                    }
                    return recorded.chain(() -> invoicing.issue(subscription, InvoiceReason.PLAN_CHANGE, to.currency,
                            preview.lines(), now, subscription.currentPeriodEnd, now)).chain(invoice -> {
                                if (invoice.totalMinor > 0) {
                                    return charges.charge(subscription, invoice, PaymentPurpose.PLAN_CHANGE, now)
                                            .map(payment -> new Outcome(subscription, to, payment));
                                }
                                subscription.creditMinor += -invoice.totalMinor;
                                return Uni.createFrom().item(new Outcome(subscription, to, null));
                            });
                })));
    }

    /** Cancels now, or at the end of the current period (the subscriber keeps watching until then). */
    @WithTransaction
    public Uni<Subscription> cancel(String account, UUID id, boolean atPeriodEnd) {
        OffsetDateTime now = now();
        return owned(account, id).chain(subscription -> {
            if (subscription.status == SubscriptionStatus.CANCELED) {
                throw BillingProblems.conflict("subscription-canceled", "The subscription is already canceled.");
            }
            if (atPeriodEnd && subscription.status != SubscriptionStatus.INCOMPLETE) {
                subscription.cancelAtPeriodEnd = true;
                return ledger.change(subscription, subscription.status, "cancellation at period end requested", now, null)
                        .replaceWith(subscription);
            }
            return ledger.change(subscription, SubscriptionStatus.CANCELED, "canceled by the subscriber", now,
                    BillingEvents.SUBSCRIPTION_CANCELED).replaceWith(subscription);
        });
    }

    /** Takes back a cancellation at period end. */
    @WithTransaction
    public Uni<Subscription> resume(String account, UUID id) {
        OffsetDateTime now = now();
        return owned(account, id).chain(subscription -> {
            if (subscription.status == SubscriptionStatus.CANCELED || !subscription.cancelAtPeriodEnd) {
                throw BillingProblems.conflict("not-scheduled-to-cancel",
                        "Only a subscription scheduled to cancel at period end can be resumed.");
            }
            subscription.cancelAtPeriodEnd = false;
            return ledger.change(subscription, subscription.status, "resumed", now, null).replaceWith(subscription);
        });
    }

    /** Replaces the card renewals are charged to (a new gateway token); the old token is detached. */
    @WithTransaction
    public Uni<PaymentMethod> replacePaymentMethod(String account, UUID id, String cardToken) {
        OffsetDateTime now = now();
        return owned(account, id).chain(subscription -> {
            if (subscription.status == SubscriptionStatus.CANCELED) {
                throw BillingProblems.conflict("subscription-canceled", "The subscription is canceled.");
            }
            return attach(account, cardToken, now).chain(method -> methods.findById(subscription.paymentMethodId)
                    .chain(old -> {
                        if (old != null) {
                            old.detachedAt = now;
                        }
                        subscription.paymentMethodId = method.id;
                        subscription.updatedAt = now;
                        return ledger.change(subscription, subscription.status, "payment method replaced", now, null)
                                .replaceWith(method);
                    }));
        });
    }

    @WithSession
    public Uni<PaymentMethod> paymentMethod(Subscription subscription) {
        return methods.findById(subscription.paymentMethodId);
    }

    /**
     * Checks the token at the gateway before anything is written. A refusal is a 402 {@code payment-declined}; a gateway
     * that cannot be asked fails the whole request ({@link PaymentGateway.Unavailable}, 502/503) and it rolls back.
     */
    private Uni<PaymentMethod> attach(String account, String token, OffsetDateTime now) {
        PaymentGateway gateway = gateways.active();
        return gateway.attach(account, token)
                .onFailure(PaymentGateway.Declined.class)
                .transform(e -> BillingProblems.paymentDeclined(((PaymentGateway.Declined) e).code()))
                .chain(card -> {
                    PaymentMethod method = new PaymentMethod();
                    method.id = UUID.randomUUID();
                    method.accountId = account;
                    method.gateway = gateway.name();
                    method.gatewayToken = token;
                    method.gatewayCustomerId = card.gatewayCustomerId();
                    method.brand = card.brand();
                    method.last4 = card.last4();
                    method.createdAt = now;
                    return methods.persist(method);
                });
    }

    private Uni<Subscription> owned(String account, UUID id) {
        return subscriptions.findOwned(id, account).map(subscription -> {
            if (subscription == null) {
                throw BillingProblems.notFound("Subscription " + id);
            }
            return subscription;
        });
    }

    private Uni<Plan> target(Subscription subscription, UUID planId) {
        if (subscription.status != SubscriptionStatus.ACTIVE && subscription.status != SubscriptionStatus.TRIALING) {
            throw BillingProblems.conflict("subscription-not-changeable",
                    "Only a trialing or active subscription can change plan (this one is " + subscription.status + ").");
        }
        if (subscription.pendingPaymentId != null) {
            throw BillingProblems.conflict("payment-in-progress", "A payment of this subscription is still in progress.");
        }
        return plans.findById(planId).map(to -> {
            if (to == null || !to.active) {
                throw BillingProblems.unprocessable("unknown-plan", "Unknown plan", "planId", "There is no such plan on sale.");
            }
            if (to.id.equals(subscription.planId)) {
                throw BillingProblems.unprocessable("same-plan", "Same plan", "planId", "The subscription is on this plan already.");
            }
            return to;
        }).chain(to -> plans.findById(subscription.planId).map(from -> {
            if (!from.currency.equals(to.currency)) {
                throw BillingProblems.unprocessable("currency-mismatch", "Currency mismatch", "planId",
                        "Plans can only be changed within one currency.");
            }
            return to;
        }));
    }

    private PlanChangePreview preview(Subscription subscription, Plan from, Plan to, OffsetDateTime now) {
        if (subscription.status == SubscriptionStatus.TRIALING) {
            return new PlanChangePreview(subscription, from, to, List.of(), 0, 0, to.currency);
        }
        Proration proration = Proration.of(from.priceMinor, to.priceMinor, subscription.currentPeriodStart,
                subscription.currentPeriodEnd, now);
        List<InvoiceLine> lines = List.of(
                InvoiceLine.of("Unused time on " + from.name, -proration.creditMinor(), now, subscription.currentPeriodEnd, true),
                InvoiceLine.of("Remaining time on " + to.name, proration.chargeMinor(), now, subscription.currentPeriodEnd, true));
        long net = proration.netMinor();
        return new PlanChangePreview(subscription, from, to, lines, Math.max(0, net), Math.max(0, -net), to.currency);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}
