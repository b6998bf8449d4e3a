package dev.palisade.billing.domain;

import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * The port every payment processor adapter implements (the built-in sandbox; a Stripe adapter fits the same shape:
 * attach = PaymentMethod retrieve/attach, charge = PaymentIntent create+confirm with an idempotency key, webhook events =
 * {@code payment_intent.succeeded} / {@code payment_intent.payment_failed}). Card data never passes through Palisade:
 * clients tokenise cards at the gateway and hand us the token.
 */
public interface PaymentGateway {

    /** The adapter's name, stored with payments and payment methods, and the path segment of its webhook endpoint. */
    String name();

    /** Checks a client-supplied card token and answers what may be shown of the card. Fails with {@link Declined}. */
    Uni<CardDetails> attach(String accountId, String token);

    /**
     * Charges a card token. {@link ChargeRequest#paymentId()} is the gateway idempotency key: asking again for the same
     * payment never charges twice. The outcome usually arrives later as a signed webhook.
     */
    Uni<ChargeResult> charge(ChargeRequest request);

    /**
     * Reads a webhook body whose signature was already verified.
     *
     * @throws IllegalArgumentException when the body is not an event of this gateway
     */
    GatewayEvent parseEvent(String rawBody);

    record CardDetails(String brand, String last4) {
    }

    record ChargeRequest(UUID paymentId, String accountId, String paymentMethodToken, long amountMinor, String currency,
            String description) {
    }

    enum ChargeStatus {
        PROCESSING, REQUIRES_ACTION, SUCCEEDED, FAILED
    }

    record ChargeResult(String gatewayPaymentId, ChargeStatus status, String nextActionUrl, String failureCode) {
    }

    /** A webhook event reduced to what billing needs; {@code outcome} is null for event types billing ignores. */
    record GatewayEvent(String id, String type, Outcome outcome, String gatewayPaymentId, String failureCode) {
    }

    enum Outcome {
        PAYMENT_SUCCEEDED, PAYMENT_FAILED
    }

    /** The gateway refused a token or a charge outright. */
    final class Declined extends RuntimeException {
        private final String code;

        public Declined(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
