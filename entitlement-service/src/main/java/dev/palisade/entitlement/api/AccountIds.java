package dev.palisade.entitlement.api;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkiverse.resteasy.problem.HttpProblem;

/** The account a token speaks for: its {@code sub}, which for subscribers and operators is an account id. */
final class AccountIds {

    private AccountIds() {
    }

    /** The account id of the caller; 403 for tokens that name no account (e.g. service clients). */
    static UUID of(JsonWebToken jwt) {
        try {
            return UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw HttpProblem.builder().withType(URI.create("https://palisade.dev/problems/account-token-required"))
                    .withTitle("Account token required").withStatus(Response.Status.FORBIDDEN)
                    .withDetail("This call acts on an account; the token presented names none.").build();
        }
    }
}
