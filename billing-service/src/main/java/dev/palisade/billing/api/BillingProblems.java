package dev.palisade.billing.api;

import java.net.URI;

import jakarta.ws.rs.core.Response;

import io.quarkiverse.resteasy.problem.HttpProblem;

/** The RFC 9457 problems billing-service answers with; each has a stable {@code type}. */
public final class BillingProblems {

    public static final String BASE = "https://palisade.dev/problems/";
    private static final int RETRY_AFTER_SECONDS = 30;

    private BillingProblems() {
    }

    public static HttpProblem notFound(String what) {
        return problem("not-found", "Not Found", Response.Status.NOT_FOUND, what + " does not exist.");
    }

    public static HttpProblem invalidField(String field, String message) {
        return HttpProblem.builder().withType(URI.create(BASE + "invalid-request")).withTitle("Invalid request")
                .withStatus(Response.Status.BAD_REQUEST).withDetail(field + " " + message).with("field", field).build();
    }

    public static HttpProblem unprocessable(String type, String title, String field, String detail) {
        return HttpProblem.builder().withType(URI.create(BASE + type)).withTitle(title).withStatus(422)
                .withDetail(detail).with("field", field).build();
    }

    public static HttpProblem conflict(String type, String detail) {
        return problem(type, "Conflict", Response.Status.CONFLICT, detail);
    }

    public static HttpProblem stepUpRequired() {
        return problem("step-up-required", "Second factor required", Response.Status.FORBIDDEN,
                "This operation needs a sign-in with a second factor (acr aal2).");
    }

    public static HttpProblem paymentDeclined(String code) {
        return HttpProblem.builder().withType(URI.create(BASE + "payment-declined")).withTitle("Payment method declined")
                .withStatus(402).withDetail("The payment gateway refused the payment method.").with("code", code).build();
    }

    /**
     * The payment gateway could not be asked (503, {@code Retry-After}) or answered something unusable (502). Nothing
     * was changed; the same request, with the same Idempotency-Key, may be sent again.
     */
    public static HttpProblem gatewayUnavailable(boolean temporary) {
        if (temporary) {
            return HttpProblem.builder().withType(URI.create(BASE + "payment-gateway-unavailable"))
                    .withTitle("Payment gateway unavailable").withStatus(Response.Status.SERVICE_UNAVAILABLE)
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS)
                    .withDetail("The payment gateway cannot be reached right now. Nothing was changed; try again shortly.")
                    .build();
        }
        return HttpProblem.builder().withType(URI.create(BASE + "payment-gateway-error"))
                .withTitle("Payment gateway error").withStatus(Response.Status.BAD_GATEWAY)
                .withDetail("The payment gateway answered in a way this service cannot use. Nothing was changed.").build();
    }

    public static HttpProblem idempotencyKeyRequired() {
        return invalidField("Idempotency-Key", "header is required on this request (1 to 255 characters).");
    }

    public static HttpProblem idempotencyKeyReused() {
        return HttpProblem.builder().withType(URI.create(BASE + "idempotency-key-reused"))
                .withTitle("Idempotency key reused").withStatus(422)
                .withDetail("This Idempotency-Key was used for a different request.").build();
    }

    public static HttpProblem invalidSignature(String reason) {
        return HttpProblem.builder().withType(URI.create(BASE + "invalid-webhook-signature"))
                .withTitle("Invalid webhook signature").withStatus(Response.Status.BAD_REQUEST)
                .withDetail("The webhook signature is " + reason + ".").build();
    }

    public static HttpProblem invalidWebhook(String detail) {
        return problem("invalid-webhook", "Invalid webhook event", Response.Status.BAD_REQUEST, detail);
    }

    public static HttpProblem unknownPayment() {
        return problem("unknown-payment", "Unknown payment", Response.Status.NOT_FOUND,
                "The webhook names a payment this service does not know (yet).");
    }

    private static HttpProblem problem(String type, String title, Response.Status status, String detail) {
        return HttpProblem.builder().withType(URI.create(BASE + type)).withTitle(title).withStatus(status).withDetail(detail).build();
    }
}
