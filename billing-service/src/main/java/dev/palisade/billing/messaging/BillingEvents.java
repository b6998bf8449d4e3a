package dev.palisade.billing.messaging;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.billing.domain.Invoice;
import dev.palisade.billing.domain.Payment;
import dev.palisade.billing.domain.Plan;
import dev.palisade.billing.domain.Subscription;
import dev.palisade.billing.domain.SubscriptionTransition;
import io.smallrye.mutiny.Uni;

/**
 * The events billing publishes on {@code billing.events}, keyed by account id, through the transactional outbox: call
 * these inside the transaction of the change they describe.
 */
@ApplicationScoped
public class BillingEvents {

    public static final String SUBSCRIPTION_ACTIVATED = "subscription.activated";
    public static final String SUBSCRIPTION_RENEWED = "subscription.renewed";
    public static final String SUBSCRIPTION_PAST_DUE = "subscription.past-due";
    public static final String SUBSCRIPTION_CANCELED = "subscription.canceled";
    public static final String SUBSCRIPTION_PLAN_CHANGED = "subscription.plan-changed";
    public static final String PAYMENT_SUCCEEDED = "payment.succeeded";
    public static final String PAYMENT_FAILED = "payment.failed";

    /**
     * Data of the {@code subscription.*} events: the subscription after the change and what entitlement needs.
     * {@code sequence} grows with every recorded change, so consumers can order and deduplicate per account.
     */
    public record SubscriptionEvent(UUID subscriptionId, String accountId, long sequence, String status,
            String previousStatus, String reason, UUID planId, String planCode, List<String> channelPackages,
            int maxStreams, String streamLimitPolicy, OffsetDateTime currentPeriodStart, OffsetDateTime currentPeriodEnd,
            boolean cancelAtPeriodEnd, UUID previousPlanId, OffsetDateTime occurredAt) {
    }

    /** Data of the {@code payment.*} events. Amounts in minor units of the ISO currency. */
    public record PaymentEvent(UUID paymentId, String accountId, UUID subscriptionId, UUID invoiceId, String invoiceNumber,
            String purpose, long amountMinor, String currency, String status, String failureCode, OffsetDateTime occurredAt) {
    }

    private final Outbox outbox;

    BillingEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> subscription(String type, Subscription subscription, Plan plan, List<String> packages,
            SubscriptionTransition transition, UUID previousPlanId) {
        SubscriptionEvent data = new SubscriptionEvent(subscription.id, subscription.accountId, transition.id,
                subscription.status.name(), transition.fromStatus == null ? null : transition.fromStatus.name(),
                transition.reason, plan.id, plan.code, packages, plan.maxStreams, plan.streamLimitPolicy.name(),
                subscription.currentPeriodStart, subscription.currentPeriodEnd, subscription.cancelAtPeriodEnd,
                previousPlanId, transition.at);
        return outbox.enqueue(subscription.accountId, type, data).replaceWithVoid();
    }

    public Uni<Void> payment(Payment payment, Invoice invoice, OffsetDateTime now) {
        String type = switch (payment.status) {
            case SUCCEEDED -> PAYMENT_SUCCEEDED;
            case FAILED -> PAYMENT_FAILED;
            default -> throw new IllegalArgumentException("Payment " + payment.id + " is not settled");
        };
        PaymentEvent data = new PaymentEvent(payment.id, payment.accountId, payment.subscriptionId, invoice.id,
                invoice.number, payment.purpose.name(), payment.amountMinor, payment.currency, payment.status.name(),
                payment.failureCode, now);
        return outbox.enqueue(payment.accountId, type, data).replaceWithVoid();
    }
}
