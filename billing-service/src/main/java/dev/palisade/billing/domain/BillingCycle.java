package dev.palisade.billing.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.billing.config.BillingConfig;
import dev.palisade.billing.messaging.BillingEvents;
import dev.palisade.billing.repository.IdempotencyRepository;
import dev.palisade.billing.repository.InvoiceRepository;
import dev.palisade.billing.repository.PaymentRepository;
import dev.palisade.billing.repository.PlanRepository;
import dev.palisade.billing.repository.SubscriptionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Renewals and dunning. At the end of a period a subscription is renewed (charged for the next period) or, when so
 * requested, canceled. A failed renewal makes it past due; the charge is retried on the configured schedule, and once
 * the grace period is over an unpaid subscription is canceled. Each step publishes its event. Charges the customer
 * never completed (3-D Secure) are given up after {@code payments.requires-action-expiry}.
 */
@ApplicationScoped
public class BillingCycle {

    private static final Logger LOG = Logger.getLogger(BillingCycle.class);
    /** Failure code of a charge the customer never completed. */
    public static final String ACTION_EXPIRED = "action_expired";

    /** What one run did. */
    public record Run(int renewed, int canceled, int retried) {
    }

    private final SubscriptionRepository subscriptions;
    private final PlanRepository plans;
    private final InvoiceRepository invoices;
    private final IdempotencyRepository idempotency;
    private final Invoicing invoicing;
    private final Charges charges;
    private final SubscriptionLedger ledger;
    private final BillingConfig config;
    private final Clock clock;
    private final PaymentRepository payments;
    private final PaymentGateways gateways;
    private final PaymentOutcomes outcomes;

    BillingCycle(SubscriptionRepository subscriptions, PlanRepository plans, InvoiceRepository invoices,
            IdempotencyRepository idempotency, Invoicing invoicing, Charges charges, SubscriptionLedger ledger,
            BillingConfig config, Clock clock, PaymentRepository payments, PaymentGateways gateways,
            PaymentOutcomes outcomes) {
        this.payments = payments;
        this.gateways = gateways;
        this.outcomes = outcomes;
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.invoices = invoices;
        this.idempotency = idempotency;
        this.invoicing = invoicing;
        this.charges = charges;
        this.ledger = ledger;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${palisade.billing.dunning.check-interval}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scheduled() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return runDue(now)
                .chain(() -> expireAbandonedActions(now))
                .chain(() -> Panache.withTransaction(() -> idempotency.deleteExpired(now)))
                .onFailure().invoke(e -> LOG.warnf("Billing cycle could not run: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Handles every renewal, retry and end due at {@code now} (the billing time; tests pass a future one). */
    public Uni<Run> runDue(OffsetDateTime now) {
        int limit = config.dunning().batchSize();
        Uni<List<String>> renewals = Panache.withTransaction(
                () -> subscriptions.lockDueForRenewal(now, limit).chain(due -> each(due, s -> renew(s, now))));
        return renewals.chain(renewed -> Panache.withTransaction(
                () -> subscriptions.lockDueForDunning(now, limit).chain(due -> each(due, s -> dun(s, now))))
                .map(dunned -> new Run(count(renewed, "renewed"), count(renewed, "canceled") + count(dunned, "canceled"),
                        count(dunned, "retried"))));
    }

    /**
     * Fails charges that waited for the customer's action (3-D Secure) longer than
     * {@code payments.requires-action-expiry}: the gateway cancels them, then they take the normal failure path
     * ({@value #ACTION_EXPIRED}). One the gateway cannot cancel any more (it completed meanwhile) is left to its webhook;
     * one whose gateway cannot be asked now is tried again on the next run. Answers how many were failed.
     */
    public Uni<Integer> expireAbandonedActions(OffsetDateTime now) {
        OffsetDateTime before = now.minus(config.payments().requiresActionExpiry());
        return Panache.withTransaction(() -> payments.lockAwaitingActionSince(before, config.dunning().batchSize())
                .chain(due -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (Payment payment : due) {
                        chain = chain.chain(count -> expire(payment, now).map(expired -> expired ? count + 1 : count));
                    }
                    return chain;
                }));
    }

    private Uni<Boolean> expire(Payment payment, OffsetDateTime now) {
        PaymentGateway gateway = gateways.byName(payment.gateway).orElse(null);
        if (gateway == null) {
            return Uni.createFrom().item(false);
        }
        return gateway.abandon(payment.gatewayPaymentId, payment.id)
                .onFailure(PaymentGateway.Unavailable.class).recoverWithItem(failure -> {
                    LOG.warnf("Could not give up payment %s now: %s", payment.id, failure.getMessage());
                    return false;
                })
                .chain(canceled -> canceled
                        ? outcomes.failed(payment, ACTION_EXPIRED, now).replaceWith(true)
                        : Uni.createFrom().item(false));
    }

    private Uni<String> renew(Subscription subscription, OffsetDateTime now) {
        if (subscription.cancelAtPeriodEnd) {
            return ledger.change(subscription, SubscriptionStatus.CANCELED, "canceled at period end", now,
                    BillingEvents.SUBSCRIPTION_CANCELED).replaceWith("canceled");
        }
        return plans.findById(subscription.planId).chain(plan -> {
            OffsetDateTime start = subscription.currentPeriodEnd;
            OffsetDateTime end = plan.periodEnd(start);
            List<InvoiceLine> lines = new ArrayList<>();
            lines.add(InvoiceLine.of(plan.name, plan.priceMinor, start, end, false));
            long credit = Math.min(subscription.creditMinor, plan.priceMinor);
            if (credit > 0) {
                lines.add(InvoiceLine.of("Credit from earlier plan changes", -credit, start, end, false));
                subscription.creditMinor -= credit;
            }
            return invoicing.issue(subscription, InvoiceReason.RENEWAL, plan.currency, lines, start, end, now)
                    .chain(invoice -> {
                        if (invoice.status == InvoiceStatus.PAID) {
                            subscription.currentPeriodStart = start;
                            subscription.currentPeriodEnd = end;
                            return ledger.change(subscription, SubscriptionStatus.ACTIVE, "renewed, nothing to pay", now,
                                    BillingEvents.SUBSCRIPTION_RENEWED).replaceWith("renewed");
                        }
                        return charges.charge(subscription, invoice, PaymentPurpose.RENEWAL, now).replaceWith("renewed");
                    });
        });
    }

    private Uni<String> dun(Subscription subscription, OffsetDateTime now) {
        OffsetDateTime graceEnd = subscription.pastDueSince.plus(config.dunning().gracePeriod());
        return invoices.findOldestOpen(subscription.id).chain(invoice -> {
            if (!now.isBefore(graceEnd)) {
                if (invoice != null) {
                    invoice.status = InvoiceStatus.VOID;
                }
                return ledger.change(subscription, SubscriptionStatus.CANCELED, "unpaid after the grace period", now,
                        BillingEvents.SUBSCRIPTION_CANCELED).replaceWith("canceled");
            }
            if (invoice == null) {
                subscription.pastDueSince = null;
                subscription.nextRetryAt = null;
                subscription.retryCount = 0;
                return ledger.change(subscription, SubscriptionStatus.ACTIVE, "nothing owed any more", now,
                        BillingEvents.SUBSCRIPTION_ACTIVATED).replaceWith("retried");
            }
            return charges.charge(subscription, invoice, PaymentPurpose.RETRY, now).replaceWith("retried");
        });
    }

    private static Uni<List<String>> each(List<Subscription> due, Function<Subscription, Uni<String>> step) {
        Uni<List<String>> chain = Uni.createFrom().item(new ArrayList<>());
        for (Subscription subscription : due) {
            chain = chain.chain(done -> step.apply(subscription).map(result -> {
                done.add(result);
                return done;
            }));
        }
        return chain;
    }

    private static int count(List<String> results, String what) {
        return (int) results.stream().filter(what::equals).count();
    }
}
