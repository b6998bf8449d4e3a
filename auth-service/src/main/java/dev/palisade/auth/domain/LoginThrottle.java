package dev.palisade.auth.domain;

import java.io.Serializable;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** Failed sign-ins of one subject (an e-mail, an IP, a network) in the current window, and any block on it. */
@Entity
@Table(name = "login_throttle")
@IdClass(LoginThrottle.Key.class)
public class LoginThrottle {

    public static final String ACCOUNT = "account";
    public static final String IP = "ip";
    public static final String NETWORK = "network";

    @Id
    public String scope;

    @Id
    public String subject;

    @Column(nullable = false)
    public int failures;

    @Column(name = "window_start", nullable = false)
    public OffsetDateTime windowStart;

    @Column(name = "blocked_until")
    public OffsetDateTime blockedUntil;

    /** Lockouts in a row; each doubles the next one. Reset by a successful sign-in. */
    @Column(nullable = false)
    public int lockouts;

    public static LoginThrottle start(String scope, String subject, OffsetDateTime now) {
        LoginThrottle t = new LoginThrottle();
        t.scope = scope;
        t.subject = subject;
        t.windowStart = now;
        return t;
    }

    public boolean isBlocked(OffsetDateTime now) {
        return blockedUntil != null && blockedUntil.isAfter(now);
    }

    /** Counts a failure; returns true when it starts a block. */
    public boolean recordFailure(OffsetDateTime now, Duration window, int limit, Duration baseLockout, Duration maxLockout) {
        if (windowStart.plus(window).isBefore(now)) {
            windowStart = now;
            failures = 0;
        }
        failures++;
        if (failures >= limit) {
            long factor = 1L << Math.min(lockouts, 20);
            Duration lockout = baseLockout.multipliedBy(factor);
            blockedUntil = now.plus(lockout.compareTo(maxLockout) > 0 ? maxLockout : lockout);
            lockouts++;
            failures = 0;
            windowStart = now;
            return true;
        }
        return false;
    }

    /** Scope-and-subject key. */
    public static class Key implements Serializable {
        public String scope;
        public String subject;

        public Key() {
        }

        public Key(String scope, String subject) {
            this.scope = scope;
            this.subject = subject;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(scope, k.scope) && Objects.equals(subject, k.subject);
        }

        @Override
        public int hashCode() {
            return Objects.hash(scope, subject);
        }
    }
}
