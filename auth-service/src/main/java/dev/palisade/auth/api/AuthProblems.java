package dev.palisade.auth.api;

import java.net.URI;
import java.time.Duration;

import jakarta.ws.rs.core.Response;

import io.quarkiverse.resteasy.problem.HttpProblem;

/** The RFC 9457 problems auth-service answers with; each has a stable {@code type}. */
public final class AuthProblems {

    private static final String BASE = "https://palisade.dev/problems/";

    private AuthProblems() {
    }

    public static HttpProblem invalidCredentials() {
        return problem("invalid-credentials", "Invalid credentials", Response.Status.UNAUTHORIZED,
                "The e-mail address or the password is wrong.");
    }

    public static HttpProblem tooManyAttempts(Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        return HttpProblem.builder().withType(URI.create(BASE + "too-many-attempts")).withTitle("Too many attempts")
                .withStatus(Response.Status.TOO_MANY_REQUESTS)
                .withDetail("Too many failed sign-ins. Try again in " + seconds + " seconds.")
                .withHeader("Retry-After", seconds).with("retryAfterSeconds", seconds).build();
    }

    public static HttpProblem accountLocked() {
        return problem("account-locked", "Account locked", Response.Status.FORBIDDEN,
                "This account is locked. Contact support to have it unlocked.");
    }

    public static HttpProblem invalidMfaToken() {
        return problem("invalid-mfa-token", "Sign-in step expired", Response.Status.UNAUTHORIZED,
                "The sign-in step is unknown, used or expired. Sign in with your password again.");
    }

    public static HttpProblem invalidSecondFactor() {
        return problem("invalid-second-factor", "Invalid code", Response.Status.UNAUTHORIZED,
                "The code is wrong, expired, or was already used.");
    }

    public static HttpProblem invalidField(String field, String message) {
        return HttpProblem.builder().withType(URI.create(BASE + "invalid-request")).withTitle("Invalid request")
                .withStatus(Response.Status.BAD_REQUEST).withDetail(field + " " + message).with("field", field).build();
    }

    public static HttpProblem conflict(String type, String detail) {
        return problem(type, "Conflict", Response.Status.CONFLICT, detail);
    }

    public static HttpProblem notFound(String what) {
        return problem("not-found", "Not Found", Response.Status.NOT_FOUND, what + " does not exist.");
    }

    public static HttpProblem stepUpRequired() {
        return problem("step-up-required", "Second factor required", Response.Status.FORBIDDEN,
                "This operation needs a sign-in with a second factor (acr aal2).");
    }

    private static HttpProblem problem(String type, String title, Response.Status status, String detail) {
        return HttpProblem.builder().withType(URI.create(BASE + type)).withTitle(title).withStatus(status).withDetail(detail).build();
    }
}
