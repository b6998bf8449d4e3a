package dev.palisade.auth.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.auth.config.AuthConfig;
import dev.palisade.auth.messaging.AuthEvents;
import dev.palisade.auth.messaging.Outbox;
import dev.palisade.auth.repository.AccountRepository;
import dev.palisade.auth.repository.AuthSessionRepository;
import dev.palisade.auth.repository.LoginEventRepository;
import dev.palisade.auth.repository.LoginThrottleRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * What operators and security actions do to accounts: look them up, lock and unlock them (a lock ends every session),
 * end sessions, demand a step-up, and read recent sign-in attempts. Methods run in the caller's transaction.
 */
@ApplicationScoped
public class AccountAdministration {

    private static final Logger LOG = Logger.getLogger(AccountAdministration.class);

    /** An account as operators see it. */
    public record AccountSummary(UUID id, String email, List<String> roles, boolean locked, String lockedReason,
            OffsetDateTime lockedAt, boolean twoFactor, int activeSessions, OffsetDateTime createdAt) {
    }

    private final AccountRepository accounts;
    private final AuthSessionRepository sessionRows;
    private final LoginEventRepository loginEvents;
    private final LoginThrottleRepository throttles;
    private final SessionService sessions;
    private final SecondFactorService secondFactor;
    private final Outbox outbox;
    private final AuthConfig config;
    private final Clock clock = Clock.systemUTC();

    AccountAdministration(AccountRepository accounts, AuthSessionRepository sessionRows, LoginEventRepository loginEvents,
            LoginThrottleRepository throttles, SessionService sessions, SecondFactorService secondFactor, Outbox outbox,
            AuthConfig config) {
        this.accounts = accounts;
        this.sessionRows = sessionRows;
        this.loginEvents = loginEvents;
        this.throttles = throttles;
        this.sessions = sessions;
        this.secondFactor = secondFactor;
        this.outbox = outbox;
        this.config = config;
    }

    public Uni<Optional<AccountSummary>> find(UUID id) {
        return accounts.findById(id).chain(this::summary);
    }

    public Uni<Optional<AccountSummary>> findByEmail(String rawEmail) {
        return EmailAddress.normalise(rawEmail).map(email -> accounts.findByEmail(email).chain(this::summary))
                .orElse(Uni.createFrom().item(Optional.empty()));
    }

    /** Locks the account and ends its sessions; false when there is no such account. */
    public Uni<Boolean> lock(UUID id, String reason) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return accounts.findById(id).chain(account -> {
            if (account == null) {
                return Uni.createFrom().item(false);
            }
            boolean wasLocked = account.locked;
            account.lock(reason, now);
            Uni<?> event = wasLocked ? Uni.createFrom().voidItem()
                    : outbox.enqueue(id.toString(), AuthEvents.ACCOUNT_LOCKED, new AuthEvents.AccountLocked(id.toString(), reason, null,
                            now.toInstant()));
            return event.chain(() -> sessions.revokeAll(id, "account_locked")).replaceWith(true);
        });
    }

    /** Unlocks the account and clears its sign-in lockout; false when there is no such account. */
    public Uni<Boolean> unlock(UUID id) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return accounts.findById(id).chain(account -> {
            if (account == null) {
                return Uni.createFrom().item(false);
            }
            account.unlock(now);
            return throttles.lockOrCreate(dev.palisade.auth.domain.LoginThrottle.ACCOUNT, LoginGuard.accountSubject(account.email), now)
                    .invoke(t -> {
                        t.failures = 0;
                        t.lockouts = 0;
                        t.blockedUntil = null;
                    }).replaceWith(true);
        });
    }

    public Uni<Integer> revokeSessions(UUID id, String reason) {
        return sessions.revokeAll(id, reason);
    }

    /** Ends the sessions signed in with a password only: the holder must sign in again, with a second factor if enrolled. */
    public Uni<Integer> requireStepUp(UUID id, String reason) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessionRows.active(id).chain(list -> {
            List<AuthSession> weak = list.stream().filter(s -> !"aal2".equals(s.acr)).toList();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (AuthSession session : weak) {
                chain = chain.chain(() -> sessions.revokeOwn(id, session.id, "step_up_required:" + reason).replaceWithVoid());
            }
            return chain.replaceWith(weak.size());
        }).invoke(n -> LOG.debugf("Step-up for %s at %s ended %d sessions", id, now, n));
    }

    public Uni<List<LoginEvent>> recentSignIns(UUID id, int limit) {
        return loginEvents.recent(id, limit);
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pruneLoginHistory() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(config.loginHistoryRetention());
        return Panache.withTransaction(() -> loginEvents.deleteOlderThan(cutoff))
                .invoke(n -> LOG.debugf("Pruned %d sign-in records older than %s", n, cutoff))
                .onFailure().invoke(e -> LOG.warnf("Pruning sign-in history failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Optional<AccountSummary>> summary(Account account) {
        if (account == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return secondFactor.isEnrolled(account.id).chain(twoFactor -> sessionRows.active(account.id).map(active -> Optional.of(
                new AccountSummary(account.id, account.email, List.copyOf(account.roleSet()), account.locked, account.lockedReason,
                        account.lockedAt, twoFactor, active.size(), account.createdAt))));
    }
}
