package dev.palisade.auth.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.api.AuthProblems;
import dev.palisade.auth.messaging.AuthEvents;
import dev.palisade.auth.messaging.Outbox;
import dev.palisade.auth.repository.AccountRepository;
import dev.palisade.auth.repository.RecoveryCodeRepository;
import dev.palisade.auth.repository.TotpCredentialRepository;
import dev.palisade.auth.security.OpaqueTokens;
import dev.palisade.auth.security.SecretCipher;
import dev.palisade.auth.security.TotpAuthenticator;
import io.smallrye.mutiny.Uni;

/**
 * TOTP enrolment (pending until confirmed with a first code), verification that accepts each code once, ten
 * single-use recovery codes (stored as hashes, shown once), and disabling, which needs a fresh second factor.
 * All methods run inside the caller's transaction.
 */
@ApplicationScoped
public class SecondFactorService {

    public static final int RECOVERY_CODES = 10;

    /** What an authenticator app needs to add the account. */
    public record Enrolment(String secret, String otpauthUri) {
    }

    private final TotpCredentialRepository credentials;
    private final RecoveryCodeRepository recoveryCodes;
    private final AccountRepository accounts;
    private final TotpAuthenticator totp;
    private final SecretCipher cipher;
    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();

    SecondFactorService(TotpCredentialRepository credentials, RecoveryCodeRepository recoveryCodes, AccountRepository accounts,
            TotpAuthenticator totp, SecretCipher cipher, Outbox outbox) {
        this.credentials = credentials;
        this.recoveryCodes = recoveryCodes;
        this.accounts = accounts;
        this.totp = totp;
        this.cipher = cipher;
        this.outbox = outbox;
    }

    public Uni<Boolean> isEnrolled(UUID accountId) {
        return credentials.findById(accountId).map(c -> c != null && c.isConfirmed());
    }

    /** Starts (or restarts) enrolment with a new secret. Refused while a confirmed one exists. */
    public Uni<Enrolment> enrol(UUID accountId) {
        return accounts.findById(accountId).chain(account -> credentials.findById(accountId).chain(existing -> {
            if (existing != null && existing.isConfirmed()) {
                throw AuthProblems.conflict("totp-already-enrolled", "Two-factor sign-in is already on. Disable it first to enrol a new authenticator.");
            }
            byte[] secret = totp.newSecret();
            SecretCipher.Sealed sealed = cipher.seal(secret);
            OffsetDateTime now = OffsetDateTime.now(clock);
            TotpCredential credential = existing != null ? existing : new TotpCredential();
            credential.accountId = accountId;
            credential.secretCipher = sealed.ciphertext();
            credential.secretKeyId = sealed.keyId();
            credential.lastUsedStep = null;
            credential.createdAt = now;
            Enrolment enrolment = new Enrolment(TotpAuthenticator.base32(secret), totp.otpauthUri(account.email, secret));
            return (existing != null ? Uni.createFrom().item(credential) : credentials.persist(credential)).replaceWith(enrolment);
        }));
    }

    /** The otpauth URI of a pending enrolment, for its QR code. */
    public Uni<Optional<String>> pendingUri(UUID accountId) {
        return accounts.findById(accountId).chain(account -> credentials.findById(accountId).map(c -> c == null || c.isConfirmed()
                ? Optional.<String> empty()
                : Optional.of(totp.otpauthUri(account.email, secret(c)))));
    }

    /** Confirms a pending enrolment with a code; returns the recovery codes, in clear, this once. */
    public Uni<List<String>> confirm(UUID accountId, String code) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return credentials.findById(accountId).chain(credential -> {
            if (credential == null || credential.isConfirmed()) {
                throw AuthProblems.conflict("no-pending-enrolment", "There is no pending authenticator to confirm. Start enrolment first.");
            }
            OptionalLong step = totp.matchingStep(secret(credential), code, now.toInstant(), credential.lastUsedStep);
            if (step.isEmpty()) {
                throw AuthProblems.invalidSecondFactor();
            }
            credential.lastUsedStep = step.getAsLong();
            credential.confirmedAt = now;
            return newRecoveryCodes(accountId, now).call(() -> outbox.enqueue(accountId.toString(), AuthEvents.MFA_ENROLLED,
                    new AuthEvents.MfaChanged(accountId.toString(), "totp", now.toInstant())));
        });
    }

    /** Checks a TOTP code or a recovery code, consuming it. Returns the method used ("otp", "rec"), or empty. */
    public Uni<Optional<String>> verify(UUID accountId, String code, String recoveryCode) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (recoveryCode != null && !recoveryCode.isBlank()) {
            return recoveryCodes.findUnused(accountId, OpaqueTokens.digest(OpaqueTokens.normaliseRecoveryCode(recoveryCode)))
                    .map(rc -> {
                        if (rc == null) {
                            return Optional.<String> empty();
                        }
                        rc.usedAt = now;
                        return Optional.of("rec");
                    });
        }
        return credentials.findById(accountId).map(credential -> {
            if (credential == null || !credential.isConfirmed()) {
                return Optional.<String> empty();
            }
            OptionalLong step = totp.matchingStep(secret(credential), code, now.toInstant(), credential.lastUsedStep);
            if (step.isEmpty()) {
                return Optional.<String> empty();
            }
            credential.lastUsedStep = step.getAsLong();
            return Optional.of("otp");
        });
    }

    /** Turns two-factor sign-in off after a fresh code (TOTP or recovery). */
    public Uni<Void> disable(UUID accountId, String code, String recoveryCode) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return verify(accountId, code, recoveryCode).chain(method -> {
            if (method.isEmpty()) {
                throw AuthProblems.invalidSecondFactor();
            }
            return credentials.deleteById(accountId).chain(() -> recoveryCodes.deleteAll(accountId))
                    .chain(() -> outbox.enqueue(accountId.toString(), AuthEvents.MFA_DISABLED,
                            new AuthEvents.MfaChanged(accountId.toString(), "totp", now.toInstant())))
                    .replaceWithVoid();
        });
    }

    /** Replaces all recovery codes after a fresh second factor. */
    public Uni<List<String>> regenerateRecoveryCodes(UUID accountId, String code) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return verify(accountId, code, null).chain(method -> {
            if (method.isEmpty()) {
                throw AuthProblems.invalidSecondFactor();
            }
            return newRecoveryCodes(accountId, now);
        });
    }

    public Uni<Long> unusedRecoveryCodes(UUID accountId) {
        return recoveryCodes.countUnused(accountId);
    }

    private Uni<List<String>> newRecoveryCodes(UUID accountId, OffsetDateTime now) {
        List<String> clear = new ArrayList<>();
        List<RecoveryCode> rows = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String code = OpaqueTokens.newRecoveryCode();
            clear.add(code);
            RecoveryCode row = new RecoveryCode();
            row.accountId = accountId;
            row.codeHash = OpaqueTokens.digest(OpaqueTokens.normaliseRecoveryCode(code));
            row.createdAt = now;
            rows.add(row);
        }
        return recoveryCodes.deleteAll(accountId).chain(() -> recoveryCodes.persist(rows)).replaceWith(clear);
    }

    private byte[] secret(TotpCredential credential) {
        return cipher.open(new SecretCipher.Sealed(credential.secretKeyId, credential.secretCipher));
    }
}
