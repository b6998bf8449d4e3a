package dev.palisade.auth.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.api.AuthProblems;
import dev.palisade.auth.config.AuthConfig;
import dev.palisade.auth.messaging.AuthEvents;
import dev.palisade.auth.messaging.Outbox;
import dev.palisade.auth.repository.AccountRepository;
import dev.palisade.auth.repository.LoginEventRepository;
import dev.palisade.auth.repository.MfaChallengeRepository;
import dev.palisade.auth.security.OpaqueTokens;
import dev.palisade.auth.security.PasswordHasher;
import dev.palisade.auth.security.PasswordPolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Registration and the two steps of signing in. Answers never tell whether an e-mail has an account: registering a
 * taken address answers like a fresh one, an unknown address fails like a wrong password, and both spend one
 * Argon2id computation. Password work runs off the event loop.
 */
@ApplicationScoped
public class SignInService {

    /** The outcome of the password step: tokens (no second factor enrolled) or an mfa token for step two. */
    public record PasswordStep(TokenPair tokens, String mfaToken, long mfaExpiresInSeconds) {
    }

    private final AccountRepository accounts;
    private final MfaChallengeRepository challenges;
    private final LoginEventRepository loginEvents;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final LoginGuard guard;
    private final SecondFactorService secondFactor;
    private final SessionService sessions;
    private final Outbox outbox;
    private final Vertx vertx;
    private final AuthConfig config;
    private final Clock clock = Clock.systemUTC();

    SignInService(AccountRepository accounts, MfaChallengeRepository challenges, LoginEventRepository loginEvents,
            PasswordHasher hasher, PasswordPolicy policy,
            LoginGuard guard, SecondFactorService secondFactor, SessionService sessions, Outbox outbox, Vertx vertx,
            AuthConfig config) {
        this.accounts = accounts;
        this.challenges = challenges;
        this.loginEvents = loginEvents;
        this.hasher = hasher;
        this.policy = policy;
        this.guard = guard;
        this.secondFactor = secondFactor;
        this.sessions = sessions;
        this.outbox = outbox;
        this.vertx = vertx;
        this.config = config;
    }

    /** Registers {@code email} unless taken; the caller cannot tell which happened. */
    public Uni<Void> register(String rawEmail, String password) {
        String email = EmailAddress.normalise(rawEmail)
                .orElseThrow(() -> AuthProblems.invalidField("email", "is not a valid e-mail address"));
        policy.problem(password, email).ifPresent(problem -> {
            throw AuthProblems.invalidField("password", problem);
        });
        return vertx.executeBlocking(Uni.createFrom().item(() -> hasher.hash(password)))
                .chain(hash -> Panache.withTransaction(() -> accounts.findByEmail(email).chain(existing -> {
                    OffsetDateTime now = OffsetDateTime.now(clock);
                    if (existing != null) {
                        return outbox.enqueue(existing.id.toString(), AuthEvents.REGISTRATION_REPEATED,
                                new AuthEvents.AccountRegistered(existing.id.toString(), now.toInstant())).replaceWithVoid();
                    }
                    Account account = Account.register(email, hash, now);
                    return accounts.persist(account).chain(a -> outbox.enqueue(a.id.toString(), AuthEvents.ACCOUNT_REGISTERED,
                            new AuthEvents.AccountRegistered(a.id.toString(), now.toInstant()))).replaceWithVoid();
                })));
    }

    /** Step one: the password. */
    public Uni<PasswordStep> password(String rawEmail, String password, ClientContext client) {
        String email = EmailAddress.normalise(rawEmail).orElse(rawEmail == null ? "" : rawEmail.trim());
        return Panache.withSession(() -> guard.blockedFor(email, client)).chain(blocked -> {
            if (blocked.isPresent()) {
                throw AuthProblems.tooManyAttempts(blocked.get());
            }
            return Panache.withSession(() -> accounts.findByEmail(email));
        }).chain(account -> vertx.executeBlocking(Uni.createFrom().item(() -> account == null
                ? hasher.verifyDecoy(password == null ? "" : password)
                : hasher.verify(password == null ? "" : password, account.passwordHash)))
                .chain(valid -> valid ? passwordAccepted(account, email, password, client)
                        : failed(account, email, account == null ? "unknown_account" : "wrong_password", client)));
    }

    /** Step two: a TOTP code or a recovery code for the mfa token of step one. */
    public Uni<TokenPair> secondFactor(String mfaToken, String code, String recoveryCode, ClientContext client) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return Panache.withTransaction(() -> challenges.findForUpdate(OpaqueTokens.digest(mfaToken == null ? "" : mfaToken))
                .chain(challenge -> {
                    if (challenge == null || challenge.usedAt != null || challenge.expiresAt.isBefore(now)) {
                        throw AuthProblems.invalidMfaToken();
                    }
                    return accounts.findById(challenge.accountId).map(account -> new Object[] { challenge, account });
                }))
                .chain(pair -> {
                    MfaChallenge challenge = (MfaChallenge) pair[0];
                    Account account = (Account) pair[1];
                    return Panache.withSession(() -> guard.blockedFor(account.email, client)).chain(blocked -> {
                        if (blocked.isPresent()) {
                            throw AuthProblems.tooManyAttempts(blocked.get());
                        }
                        return Panache.withTransaction(() -> secondFactor.verify(account.id, code, recoveryCode).chain(method -> {
                            if (method.isEmpty()) {
                                return Uni.createFrom().item(Optional.<TokenPair> empty());
                            }
                            return challenges.findForUpdate(challenge.tokenHash).chain(c -> {
                                if (c.usedAt != null) {
                                    throw AuthProblems.invalidMfaToken();
                                }
                                c.usedAt = now;
                                if (account.locked) {
                                    throw AuthProblems.accountLocked();
                                }
                                return guard.recordSuccess(account.email)
                                        .chain(() -> sessions.start(account, "aal2", List.of("pwd", method.get(), "mfa"), client))
                                        .map(Optional::of);
                            });
                        })).chain(tokens -> tokens.isPresent() ? Uni.createFrom().item(tokens.get())
                                : failed(account, account.email, "wrong_second_factor", client).map(ignored -> (TokenPair) null));
                    });
                });
    }

    private Uni<PasswordStep> passwordAccepted(Account account, String email, String password, ClientContext client) {
        if (account.locked) {
            // Only the holder of the right password learns that the account is locked.
            OffsetDateTime now = OffsetDateTime.now(clock);
            return Panache.withTransaction(() -> loginEvents.persist(LoginEvent.of(account.id, "failed", "account_locked", null,
                    client, now)).chain(() -> outbox.enqueue(account.id.toString(), AuthEvents.LOGIN_FAILED,
                    new AuthEvents.LoginFailed(account.id.toString(), null, "account_locked", SessionService.client(client),
                            now.toInstant()))))
                    .map(ignored -> {
                        throw AuthProblems.accountLocked();
                    });
        }
        Uni<String> rehash = hasher.needsRehash(account.passwordHash)
                ? vertx.executeBlocking(Uni.createFrom().item(() -> hasher.hash(password)))
                : Uni.createFrom().nullItem();
        return rehash.chain(newHash -> Panache.withTransaction(() -> accounts.findById(account.id).chain(current -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            if (newHash != null) {
                current.passwordHash = newHash;
                current.updatedAt = now;
            }
            return secondFactor.isEnrolled(current.id).chain(enrolled -> {
                if (!enrolled) {
                    return guard.recordSuccess(email).chain(() -> sessions.start(current, "aal1", List.of("pwd"), client))
                            .map(tokens -> new PasswordStep(tokens, null, 0));
                }
                String mfaToken = OpaqueTokens.newToken();
                MfaChallenge challenge = new MfaChallenge();
                challenge.tokenHash = OpaqueTokens.digest(mfaToken);
                challenge.accountId = current.id;
                challenge.deviceId = client.deviceId();
                challenge.userAgent = client.userAgent();
                challenge.ip = client.ip();
                challenge.createdAt = now;
                challenge.expiresAt = now.plus(config.mfaChallengeLifetime());
                return challenges.persist(challenge)
                        .map(c -> new PasswordStep(null, mfaToken, config.mfaChallengeLifetime().toSeconds()));
            });
        })));
    }

    private <T> Uni<T> failed(Account account, String email, String reason, ClientContext client) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        String key = account != null ? account.id.toString() : "unknown:" + LoginGuard.accountSubject(email);
        Uni<Void> history = account == null ? Uni.createFrom().voidItem()
                : Uni.createFrom().deferred(() -> loginEvents.persist(LoginEvent.of(account.id, "failed", reason, null, client, now)))
                        .replaceWithVoid();
        return Panache.withTransaction(() -> history.chain(() -> guard.recordFailure(email, client)).chain(lockout -> outbox.enqueue(key,
                AuthEvents.LOGIN_FAILED, new AuthEvents.LoginFailed(account == null ? null : account.id.toString(),
                        account == null ? LoginGuard.accountSubject(email) : null, reason, SessionService.client(client), now.toInstant()))
                .chain(() -> lockout.isPresent() && account != null
                        ? outbox.enqueue(key, AuthEvents.ACCOUNT_LOCKED, new AuthEvents.AccountLocked(account.id.toString(),
                                "too_many_failed_sign_ins", lockout.get().until().toInstant(), now.toInstant())).replaceWithVoid()
                        : Uni.createFrom().voidItem())))
                .map(ignored -> {
                    throw "wrong_second_factor".equals(reason) ? AuthProblems.invalidSecondFactor() : AuthProblems.invalidCredentials();
                });
    }
}
