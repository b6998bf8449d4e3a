package dev.palisade.billing.domain;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.config.BillingConfig;
import dev.palisade.billing.messaging.BillingEvents;
import dev.palisade.billing.repository.InvoiceRepository;
import dev.palisade.billing.repository.SubscriptionRepository;
import io.smallrye.mutiny.Uni;

/** What a settled payment does to its invoice and subscription. Applying an outcome twice changes nothing. */
@ApplicationScoped
public class PaymentOutcomes {

    private final InvoiceRepository invoices;
    private final SubscriptionRepository subscriptions;
    private final SubscriptionLedger ledger;
    private final BillingEvents events;
    private final BillingConfig config;

    PaymentOutcomes(InvoiceRepository invoices, SubscriptionRepository subscriptions, SubscriptionLedger ledger,
            BillingEvents events, BillingConfig config) {
        this.invoices = invoices;
        this.subscriptions = subscriptions;
        this.ledger = ledger;
        this.events = events;
        this.config = config;
    }

    public Uni<Void> succeeded(Payment payment, OffsetDateTime now) {
        if (payment.status.settled()) {
            return Uni.createFrom().voidItem();
        }
        payment.status = PaymentStatus.SUCCEEDED;
        payment.nextActionUrl = null;
        payment.settledAt = now;
        return load(payment).chain(loaded -> {
            Invoice invoice = loaded.invoice();
            Subscription subscription = loaded.subscription();
            invoice.status = InvoiceStatus.PAID;
            invoice.paidAt = now;
            releasePending(subscription, payment);
            Uni<Void> announced = events.payment(payment, invoice, now);
            if (subscription.status == SubscriptionStatus.CANCELED) {
                return announced;
            }
            return announced.chain(() -> switch (invoice.reason) {
                case SUBSCRIBE -> subscription.status == SubscriptionStatus.INCOMPLETE
                        ? ledger.change(subscription, SubscriptionStatus.ACTIVE, "first payment succeeded", now,
                                BillingEvents.SUBSCRIPTION_ACTIVATED).replaceWithVoid()
                        : Uni.createFrom().voidItem();
                case RENEWAL -> {
                    subscription.currentPeriodStart = invoice.periodStart;
                    subscription.currentPeriodEnd = invoice.periodEnd;
                    clearDunning(subscription);
                    yield ledger.change(subscription, SubscriptionStatus.ACTIVE, "renewal paid", now,
                            BillingEvents.SUBSCRIPTION_RENEWED).replaceWithVoid();
                }
                case PLAN_CHANGE -> {
                    if (subscription.status != SubscriptionStatus.PAST_DUE) {
                        yield Uni.createFrom().voidItem();
                    }
                    clearDunning(subscription);
                    yield ledger.change(subscription, SubscriptionStatus.ACTIVE, "outstanding payment recovered", now,
                            BillingEvents.SUBSCRIPTION_ACTIVATED).replaceWithVoid();
                }
            });
        });
    }

    public Uni<Void> failed(Payment payment, String failureCode, OffsetDateTime now) {
        if (payment.status.settled()) {
            return Uni.createFrom().voidItem();
        }
        payment.status = PaymentStatus.FAILED;
        payment.failureCode = failureCode == null ? "declined" : failureCode;
        payment.nextActionUrl = null;
        payment.settledAt = now;
        return load(payment).chain(loaded -> {
            Invoice invoice = loaded.invoice();
            Subscription subscription = loaded.subscription();
            releasePending(subscription, payment);
            Uni<Void> announced = events.payment(payment, invoice, now);
            if (subscription.status == SubscriptionStatus.CANCELED) {
                return announced;
            }
            if (payment.purpose == PaymentPurpose.SUBSCRIBE) {
                invoice.status = InvoiceStatus.VOID;
                return announced.chain(() -> ledger.change(subscription, SubscriptionStatus.CANCELED,
                        "first payment failed: " + payment.failureCode, now, BillingEvents.SUBSCRIPTION_CANCELED))
                        .replaceWithVoid();
            }
            if (subscription.status == SubscriptionStatus.PAST_DUE) {
                subscription.retryCount++;
                subscription.nextRetryAt = nextStep(subscription.pastDueSince, subscription.retryCount);
                return announced.chain(() -> ledger.change(subscription, SubscriptionStatus.PAST_DUE,
                        "retry " + subscription.retryCount + " failed: " + payment.failureCode, now, null))
                        .replaceWithVoid();
            }
            // Dunning counts from when the failed charge was attempted (the billing time), not from when it settled.
            subscription.pastDueSince = payment.attemptedAt;
            subscription.retryCount = 0;
            subscription.nextRetryAt = nextStep(payment.attemptedAt, 0);
            return announced.chain(() -> ledger.change(subscription, SubscriptionStatus.PAST_DUE,
                    "payment failed: " + payment.failureCode, now, BillingEvents.SUBSCRIPTION_PAST_DUE))
                    .replaceWithVoid();
        });
    }

    /**
     * When the next dunning step is due: the {@code retries}-th delay of the schedule after {@code since}, or the end of
     * the grace period once the schedule is used up (never later than the end of the grace period).
     */
    public OffsetDateTime nextStep(OffsetDateTime since, int retries) {
        List<Duration> schedule = config.dunning().retrySchedule();
        OffsetDateTime end = since.plus(config.dunning().gracePeriod());
        if (retries < schedule.size()) {
            OffsetDateTime next = since.plus(schedule.get(retries));
            return next.isBefore(end) ? next : end;
        }
        return end;
    }

    private record Loaded(Invoice invoice, Subscription subscription) {
    }

    private Uni<Loaded> load(Payment payment) {
        return invoices.findById(payment.invoiceId).chain(invoice -> subscriptions.findById(payment.subscriptionId)
                .map(subscription -> new Loaded(invoice, subscription)));
    }

    private static void releasePending(Subscription subscription, Payment payment) {
        if (payment.id.equals(subscription.pendingPaymentId)) {
            subscription.pendingPaymentId = null;
        }
    }

    private static void clearDunning(Subscription subscription) {
        subscription.pastDueSince = null;
        subscription.nextRetryAt = null;
        subscription.retryCount = 0;
    }
}
