package dev.palisade.auth.messaging;

import java.time.Instant;

/**
 * Payloads of {@code auth.events} (JSON Schemas in src/main/resources/schemas/auth-events). Client context rides
 * on every sign-in event so that monitor-service can judge patterns: IP, network, user agent, device, country.
 */
public final class AuthEvents {

    public static final String ACCOUNT_REGISTERED = "account.registered";
    public static final String REGISTRATION_REPEATED = "account.registration-repeated";
    public static final String LOGIN_SUCCEEDED = "login.succeeded";
    public static final String LOGIN_FAILED = "login.failed";
    /** A successful sign-in from a device (or network and user agent) the account never signed in from before. */
    public static final String LOGIN_NEW_DEVICE = "login.new-device";
    public static final String MFA_ENROLLED = "mfa.enrolled";
    public static final String MFA_DISABLED = "mfa.disabled";
    public static final String ACCOUNT_LOCKED = "account.locked";
    public static final String SESSION_REVOKED = "session.revoked";

    private AuthEvents() {
    }

    public record Client(String ip, String network, String userAgent, String deviceId, String country) {
    }

    public record AccountRegistered(String accountId, Instant at) {
    }

    public record LoginSucceeded(String accountId, String sessionId, String acr, Client client, Instant at) {
    }

    /** {@code accountId} is null for an unknown e-mail; {@code subject} is then a digest of the e-mail tried. */
    public record LoginFailed(String accountId, String subject, String reason, Client client, Instant at) {
    }

    public record MfaChanged(String accountId, String method, Instant at) {
    }

    /** {@code until} is null for a permanent lock. */
    public record AccountLocked(String accountId, String reason, Instant until, Instant at) {
    }

    public record SessionRevoked(String accountId, String sessionId, String reason, Instant at) {
    }
}
