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

    /**
     * Checks a client-supplied card token and answers what may be shown of the card. Fails with {@link Declined} when
     * the gateway refuses the token, with {@link Unavailable} when the gateway cannot be asked.
     */
    Uni<CardDetails> attach(String accountId, String token);

    /**
     * Charges a card token. {@link ChargeRequest#paymentId()} is the gateway idempotency key: asking again for the same
     * payment never charges twice. The outcome usually arrives later as a signed webhook. A refusal by the gateway is a
     * {@link ChargeStatus#FAILED} result; the Uni fails (with {@link Unavailable}) only when the gateway could not be
     * asked or its answer is unknown.
     */
    Uni<ChargeResult> charge(ChargeRequest request);

    /**
     * Gives up a charge that has waited too long for the customer's action (3-D Secure): the gateway cancels it so it
     * can no longer complete. Answers false when it cannot be canceled any more (it completed meanwhile; its webhook
     * settles it); fails with {@link Unavailable} when the gateway cannot be asked.
     */
    Uni<Boolean> abandon(String gatewayPaymentId, UUID paymentId);

    /**
     * Reads a webhook body whose signature was already verified.
     *
     * @throws IllegalArgumentException when the body is not an event of this gateway
     */
    GatewayEvent parseEvent(String rawBody);

    /**
     * What may be shown of a card, and the gateway's customer the card belongs to (null when the gateway has no such
     * notion), which later charges of the card must name.
     */
    record CardDetails(String brand, String last4, String gatewayCustomerId) {
        public CardDetails(String brand, String last4) {
            this(brand, last4, null);
        }
    }

    /**
     * One charge. {@code customerPresent} is false for renewals and dunning retries (the customer is not there to
     * authenticate; gateways then decline rather than ask for action).
     */
    record ChargeRequest(UUID paymentId, String accountId, String paymentMethodToken, String gatewayCustomerId,
            long amountMinor, String currency, String description, boolean customerPresent) {
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

    /**
     * The gateway could not be asked, or its answer is unknown: unreachable, timed out, a server error, rate limited, or
     * it refused our credentials. Says nothing about the card. {@code temporary} when trying again later may help
     * (503), false when the gateway answered something unusable, e.g. our API key was refused (502).
     */
    final class Unavailable extends RuntimeException {
        private final boolean temporary;

        public Unavailable(String message, boolean temporary, Throwable cause) {
            super(message, cause);
            this.temporary = temporary;
        }

        public boolean temporary() {
            return temporary;
        }
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
