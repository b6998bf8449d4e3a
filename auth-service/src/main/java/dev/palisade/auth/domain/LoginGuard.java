package dev.palisade.auth.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.auth.config.AuthConfig;
import dev.palisade.auth.repository.LoginThrottleRepository;
import dev.palisade.auth.security.OpaqueTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Throttles sign-in failures per account (the e-mail tried, whether or not it exists, so answers do not reveal
 * accounts), per client IP and per client network, with a temporary block that doubles with each lockout in a row.
 * Across all accounts it watches the failure velocity: a credential-stuffing run spread thin over many accounts
 * and addresses shows there even when no single counter trips.
 */
@ApplicationScoped
public class LoginGuard {

    private static final Logger LOG = Logger.getLogger(LoginGuard.class);

    /** A block that just started on one of the scopes. */
    public record Lockout(String scope, OffsetDateTime until) {
    }

    private final LoginThrottleRepository repository;
    private final AuthConfig.Throttle config;
    private final Clock clock = Clock.systemUTC();
    private final Counter failures;
    private final Deque<Long> recentFailures = new ArrayDeque<>();
    private volatile boolean stuffingSuspected;

    LoginGuard(LoginThrottleRepository repository, AuthConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.config = config.throttle();
        this.failures = registry.counter("palisade_login_failures_total");
        registry.gauge("palisade_login_failure_velocity_per_minute", this, LoginGuard::failuresLastMinute);
    }

    /** The subject under which the account scope is counted: a digest of the normalised e-mail. */
    public static String accountSubject(String email) {
        return OpaqueTokens.digest(email == null ? "" : email);
    }

    /** How long the caller must wait, if any scope is blocked now. */
    public Uni<Optional<Duration>> blockedFor(String email, ClientContext client) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return repository.blocking(List.of(
                new LoginThrottle.Key(LoginThrottle.ACCOUNT, accountSubject(email)),
                new LoginThrottle.Key(LoginThrottle.IP, String.valueOf(client.ip())),
                new LoginThrottle.Key(LoginThrottle.NETWORK, client.network())), now)
                .map(blocks -> blocks.stream().map(b -> b.blockedUntil).max(Comparator.naturalOrder())
                        .map(until -> Duration.between(now, until)));
    }

    /** Counts a failure in every scope; returns the account-scope lockout if this failure started one. */
    public Uni<Optional<Lockout>> recordFailure(String email, ClientContext client) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        failures.increment();
        noteVelocity();
        return count(LoginThrottle.IP, String.valueOf(client.ip()), config.ipFailures(), now)
                .chain(() -> count(LoginThrottle.NETWORK, client.network(), config.networkFailures(), now))
                .chain(() -> count(LoginThrottle.ACCOUNT, accountSubject(email), config.accountFailures(), now));
    }

    /** A successful sign-in clears the account's counter and its lockout history. */
    public Uni<Void> recordSuccess(String email) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return repository.lockOrCreate(LoginThrottle.ACCOUNT, accountSubject(email), now).invoke(t -> {
            t.failures = 0;
            t.lockouts = 0;
            t.blockedUntil = null;
            t.windowStart = now;
        }).replaceWithVoid();
    }

    public boolean stuffingSuspected() {
        return stuffingSuspected;
    }

    private Uni<Optional<Lockout>> count(String scope, String subject, int limit, OffsetDateTime now) {
        return repository.lockOrCreate(scope, subject, now).map(t -> t.recordFailure(now, config.window(), limit,
                config.baseLockout(), config.maxLockout()) ? Optional.of(new Lockout(scope, t.blockedUntil)) : Optional.<Lockout> empty());
    }

    private synchronized void noteVelocity() {
        long now = System.currentTimeMillis();
        recentFailures.addLast(now);
        while (!recentFailures.isEmpty() && recentFailures.peekFirst() < now - 60_000) {
            recentFailures.removeFirst();
        }
        boolean high = recentFailures.size() > config.globalFailuresPerMinute();
        if (high && !stuffingSuspected) {
            LOG.warnf("Sign-in failure velocity %d/min exceeds %d/min: possible credential stuffing across accounts",
                    recentFailures.size(), config.globalFailuresPerMinute());
        }
        stuffingSuspected = high;
    }

    private synchronized double failuresLastMinute() {
        long cutoff = System.currentTimeMillis() - 60_000;
        return recentFailures.stream().filter(t -> t >= cutoff).count();
    }
}
