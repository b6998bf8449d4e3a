package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.billing.repository.PaymentMethodRepository;
import dev.palisade.billing.repository.PaymentRepository;
import io.smallrye.mutiny.Uni;

/**
 * Charges an invoice through the gateway. The payment row is written first and its id is the gateway's idempotency
 * key, so a retried request can never charge twice. The subscription records the charge in flight until it settles.
 * When the gateway cannot be asked, a subscriber's request fails as a whole (rolled back, 502/503), while a renewal
 * or dunning retry fails just that charge ({@value #GATEWAY_UNAVAILABLE}) so the rest of the billing run stands.
 */
@ApplicationScoped
public class Charges {

    /** Failure code of a renewal or retry that could not reach the gateway. */
    public static final String GATEWAY_UNAVAILABLE = "gateway_unavailable";

    private static final Logger LOG = Logger.getLogger(Charges.class);

    private final PaymentRepository payments;
    private final PaymentMethodRepository methods;
    private final PaymentGateways gateways;
    private final PaymentOutcomes outcomes;

    Charges(PaymentRepository payments, PaymentMethodRepository methods, PaymentGateways gateways, PaymentOutcomes outcomes) {
        this.payments = payments;
        this.methods = methods;
        this.gateways = gateways;
        this.outcomes = outcomes;
    }

    public Uni<Payment> charge(Subscription subscription, Invoice invoice, PaymentPurpose purpose, OffsetDateTime now) {
        return methods.findById(subscription.paymentMethodId).chain(method -> {
            PaymentGateway gateway = gateways.byName(method.gateway).orElseThrow(
                    () -> new IllegalStateException("No adapter for gateway " + method.gateway));
            Payment payment = new Payment();
            payment.id = UUID.randomUUID();
            payment.accountId = subscription.accountId;
            payment.subscriptionId = subscription.id;
            payment.invoiceId = invoice.id;
            payment.paymentMethodId = method.id;
            payment.purpose = purpose;
            payment.amountMinor = invoice.totalMinor;
            payment.currency = invoice.currency;
            payment.status = PaymentStatus.PROCESSING;
            payment.gateway = gateway.name();
            payment.attemptedAt = now;
            subscription.pendingPaymentId = payment.id;
            boolean customerPresent = purpose == PaymentPurpose.SUBSCRIBE || purpose == PaymentPurpose.PLAN_CHANGE;
            return payments.persist(payment)
                    .chain(saved -> gateway.charge(new PaymentGateway.ChargeRequest(saved.id, saved.accountId,
                            method.gatewayToken, method.gatewayCustomerId, saved.amountMinor, saved.currency,
                            "Palisade invoice " + invoice.number, customerPresent)))
                    .onFailure(PaymentGateway.Unavailable.class).recoverWithUni(failure -> {
                        if (customerPresent) {
                            // The subscriber's request fails as a whole (502/503) and rolls back: nothing half-written.
                            return Uni.createFrom().failure(failure);
                        }
                        // A renewal or retry of the billing cycle: failing here would roll back the whole batch,
                        // including charges the gateway already made. This one charge takes the failure path instead
                        // (past due, retried on the dunning schedule).
                        LOG.warnf("Gateway %s unavailable for %s payment %s: %s", gateway.name(), purpose, payment.id,
                                failure.getMessage());
                        return Uni.createFrom().item(new PaymentGateway.ChargeResult(null,
                                PaymentGateway.ChargeStatus.FAILED, null, GATEWAY_UNAVAILABLE));
                    })
                    .chain(result -> apply(payment, result, now));
        });
    }

    private Uni<Payment> apply(Payment payment, PaymentGateway.ChargeResult result, OffsetDateTime now) {
        payment.gatewayPaymentId = result.gatewayPaymentId();
        payment.nextActionUrl = result.nextActionUrl();
        return switch (result.status()) {
            case PROCESSING -> Uni.createFrom().item(payment);
            case REQUIRES_ACTION -> {
                payment.status = PaymentStatus.REQUIRES_ACTION;
                yield Uni.createFrom().item(payment);
            }
            case SUCCEEDED -> outcomes.succeeded(payment, now).replaceWith(payment);
            case FAILED -> outcomes.failed(payment, result.failureCode(), now).replaceWith(payment);
        };
    }
}
