package dev.palisade.billing.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.palisade.billing.domain.Invoice;
import dev.palisade.billing.domain.InvoiceLine;
import dev.palisade.billing.domain.Payment;
import dev.palisade.billing.domain.PaymentMethod;
import dev.palisade.billing.domain.Plan;
import dev.palisade.billing.domain.Subscription;
import dev.palisade.billing.domain.SubscriptionService;
import dev.palisade.billing.domain.SubscriptionTransition;

/** What billing shows on the wire; entities never leave the service. Money is minor units plus ISO currency. */
public final class BillingViews {

    private BillingViews() {
    }

    public record PlanView(UUID id, String code, String name, long priceMinor, String currency, String billingInterval,
            int intervalCount, int trialDays, List<String> channelPackages, int maxStreams, String streamLimitPolicy,
            boolean active) {

        static PlanView of(Plan plan, List<String> packages) {
            return new PlanView(plan.id, plan.code, plan.name, plan.priceMinor, plan.currency, plan.billingInterval.name(),
                    plan.intervalCount, plan.trialDays, packages, plan.maxStreams, plan.streamLimitPolicy.name(), plan.active);
        }
    }

    public record PaymentView(UUID id, String status, String purpose, long amountMinor, String currency,
            String nextActionUrl, String failureCode) {

        static PaymentView of(Payment payment) {
            return payment == null ? null
                    : new PaymentView(payment.id, payment.status.name(), payment.purpose.name(), payment.amountMinor,
                            payment.currency, payment.nextActionUrl, payment.failureCode);
        }
    }

    public record SubscriptionView(UUID id, String status, UUID planId, String planCode, OffsetDateTime currentPeriodStart,
            OffsetDateTime currentPeriodEnd, OffsetDateTime trialEnd, boolean cancelAtPeriodEnd, OffsetDateTime canceledAt,
            OffsetDateTime pastDueSince, OffsetDateTime nextRetryAt, int failedRetries, long creditMinor, String currency,
            boolean paymentInProgress, PaymentView payment) {

        static SubscriptionView of(Subscription s, Plan plan, Payment payment) {
            return new SubscriptionView(s.id, s.status.name(), s.planId, plan.code, s.currentPeriodStart, s.currentPeriodEnd,
                    s.trialEnd, s.cancelAtPeriodEnd, s.canceledAt, s.pastDueSince, s.nextRetryAt, s.retryCount, s.creditMinor,
                    plan.currency, s.pendingPaymentId != null, PaymentView.of(payment));
        }

        static SubscriptionView of(SubscriptionService.Outcome outcome) {
            return of(outcome.subscription(), outcome.plan(), outcome.payment());
        }
    }

    public record TransitionView(String from, String to, String reason, OffsetDateTime at) {

        static TransitionView of(SubscriptionTransition t) {
            return new TransitionView(t.fromStatus == null ? null : t.fromStatus.name(), t.toStatus.name(), t.reason, t.at);
        }
    }

    public record PaymentMethodView(UUID id, String gateway, String brand, String last4, OffsetDateTime addedAt) {

        static PaymentMethodView of(PaymentMethod method) {
            return new PaymentMethodView(method.id, method.gateway, method.brand, method.last4, method.createdAt);
        }
    }

    public record InvoiceLineView(int position, String description, long amountMinor, OffsetDateTime periodStart,
            OffsetDateTime periodEnd, boolean proration) {

        static InvoiceLineView of(InvoiceLine line) {
            return new InvoiceLineView(line.position, line.description, line.amountMinor, line.periodStart, line.periodEnd,
                    line.proration);
        }
    }

    public record InvoiceView(UUID id, String number, UUID subscriptionId, String status, String reason, long totalMinor,
            String currency, OffsetDateTime periodStart, OffsetDateTime periodEnd, OffsetDateTime issuedAt,
            OffsetDateTime paidAt, List<InvoiceLineView> lines) {

        static InvoiceView of(Invoice i, List<InvoiceLine> lines) {
            return new InvoiceView(i.id, i.number, i.subscriptionId, i.status.name(), i.reason.name(), i.totalMinor,
                    i.currency, i.periodStart, i.periodEnd, i.issuedAt, i.paidAt,
                    lines == null ? null : lines.stream().map(InvoiceLineView::of).toList());
        }
    }

    public record PlanChangePreviewView(UUID subscriptionId, UUID fromPlanId, UUID toPlanId, List<InvoiceLineView> lines,
            long amountDueMinor, long creditMinor, String currency) {

        static PlanChangePreviewView of(SubscriptionService.PlanChangePreview p) {
            return new PlanChangePreviewView(p.subscription().id, p.from().id, p.to().id,
                    p.lines().stream().map(l -> new InvoiceLineView(0, l.description, l.amountMinor, l.periodStart,
                            l.periodEnd, l.proration)).toList(),
                    p.amountDueMinor(), p.creditMinor(), p.currency());
        }
    }
}
