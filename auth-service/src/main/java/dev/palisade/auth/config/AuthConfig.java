package dev.palisade.auth.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** auth-service: the identity provider. Every limit and cost is here, none in code. */
@ConfigMapping(prefix = "palisade.auth")
public interface AuthConfig {

    /** The issuer URL written into tokens and discovery; other services configure quarkus-oidc with it. */
    String issuer();

    /** Audience of access tokens for Palisade's APIs. */
    @WithDefault("palisade")
    String audience();

    /** Lifetime of access tokens (short: revocation of a session takes at most this long elsewhere). */
    @WithDefault("5M")
    Duration accessTokenLifetime();

    /** Lifetime of a refresh token; each use rotates it. */
    @WithDefault("30D")
    Duration refreshTokenLifetime();

    /** How long the second step of a sign-in (the mfa token) stays valid. */
    @WithDefault("5M")
    Duration mfaChallengeLifetime();

    /** How long sign-in attempts are kept for operators and account holders. */
    @WithDefault("90D")
    Duration loginHistoryRetention();

    Password password();

    BootstrapOperator bootstrapOperator();

    /**
     * Service clients that must exist (dev stacks, first installs), as {@code clientId:secret[:role+role]} entries
     * (roles default to {@code service}). A missing client is created; an existing one gets this secret and these
     * roles. Secrets of at least 32 characters.
     */
    Optional<java.util.List<String>> bootstrapClients();

    Encryption encryption();

    Throttle throttle();

    Totp totp();

    SigningKeys signingKeys();

    /** Password rules (NIST SP 800-63B: length and a blocklist, no composition rules) and Argon2id cost. */
    interface Password {
        @WithDefault("12")
        int minLength();

        @WithDefault("128")
        int maxLength();

        /** Argon2id memory in KiB (OWASP minimum: 19456 = 19 MiB). Changing it re-hashes on next sign-in. */
        @WithDefault("19456")
        int argon2MemoryKib();

        @WithDefault("2")
        int argon2Iterations();

        @WithDefault("1")
        int argon2Parallelism();

        /** An extra blocklist file, one password a line, on top of the built-in list. */
        Optional<String> blocklistFile();
    }

    /** AES-256-GCM keys for secrets at rest (TOTP secrets, signing keys), by key id; new data uses the active one. */
    interface Encryption {
        String activeKeyId();

        /**
         * Keys as {@code id:base64} (32 random bytes each), e.g. {@code 2026-11:q4N…=}. Keep an old key listed until
         * nothing sealed with it remains.
         */
        java.util.List<String> keys();
    }

    /** Brute-force and credential-stuffing defence. */
    interface Throttle {
        /** Window in which failures are counted. */
        @WithDefault("15M")
        Duration window();

        /** Failures per account (e-mail) in the window before a temporary lockout. */
        @WithDefault("5")
        int accountFailures();

        /** Failures per client IP in the window before the IP is blocked. */
        @WithDefault("20")
        int ipFailures();

        /** Failures per client network (/24 for IPv4, /64 for IPv6) in the window before it is blocked. */
        @WithDefault("60")
        int networkFailures();

        /** First lockout; each further lockout in a row doubles it, up to {@link #maxLockout()}. */
        @WithDefault("1M")
        Duration baseLockout();

        @WithDefault("1H")
        Duration maxLockout();

        /** Failed sign-ins per minute across all accounts above which a stuffing alert is raised. */
        @WithDefault("120")
        int globalFailuresPerMinute();
    }

    /** RFC 6238 parameters (the ones every authenticator app supports). */
    interface Totp {
        /** Shown in authenticator apps as the account's issuer. */
        @WithDefault("Palisade")
        String label();

        /** Steps accepted either side of now (1 = ±30 s). */
        @WithDefault("1")
        int window();
    }

    /** The first operator account of a fresh installation (created once, never changed afterwards). */
    interface BootstrapOperator {
        Optional<String> email();

        Optional<String> password();
    }

    interface SigningKeys {
        /** How long a key signs before the next one takes over. */
        @WithDefault("30D")
        Duration rotationPeriod();
    }
}
