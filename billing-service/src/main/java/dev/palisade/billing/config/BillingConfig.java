package dev.palisade.billing.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** billing-service: every limit, schedule and secret of billing is here, none in code. */
@ConfigMapping(prefix = "palisade.billing")
public interface BillingConfig {

    /**
     * The payment gateway adapter charges go through: {@code sandbox} (built in, the local default) or {@code stripe}
     * (needs {@code palisade.billing.stripe.api-key}).
     */
    @WithDefault("sandbox")
    String gateway();

    /** How long a stored response to an {@code Idempotency-Key} is replayed. */
    @WithDefault("24H")
    Duration idempotencyRetention();

    /** Prefix of invoice numbers, followed by the year and a gap-free sequence number. */
    @WithDefault("PAL")
    String invoicePrefix();

    Webhooks webhooks();

    Dunning dunning();

    Sandbox sandbox();

    Stripe stripe();

    Payments payments();

    /** Charges that never complete. */
    interface Payments {
        /**
         * How long a charge may wait for the customer's action (3-D Secure) before it is given up as failed
         * ({@code action_expired}) and takes the normal failure path. Stripe itself cancels such a PaymentIntent much
         * later, if ever; the customer has long left by then.
         */
        @WithDefault("23H")
        Duration requiresActionExpiry();
    }

    /** Verification of signed gateway webhooks (Stripe-style {@code t=…,v1=…} signatures). */
    interface Webhooks {
        /**
         * Active signing secrets per gateway, e.g. {@code palisade.billing.webhooks.secrets.sandbox=s1,s2}. A signature
         * made with any listed secret is accepted, so a secret can be rotated without losing events. Each needs at
         * least 32 characters. Production values come from the environment, never from this file.
         */
        Map<String, List<String>> secrets();

        /** How far a signature's timestamp may be from now before the event is refused as stale or replayed. */
        @WithDefault("5M")
        Duration tolerance();
    }

    /** What happens after a renewal fails. */
    interface Dunning {
        /** Delays after the first failure at which the charge is retried, e.g. {@code 1D,3D,5D}. */
        @WithDefault("1D,3D,5D")
        List<Duration> retrySchedule();

        /** Time after the first failure when a still unpaid subscription is canceled. */
        @WithDefault("7D")
        Duration gracePeriod();

        /** How often the billing cycle looks for renewals, retries and ends that are due. */
        @WithDefault("1M")
        String checkInterval();

        /** The most subscriptions handled in one run of the billing cycle. */
        @WithDefault("100")
        int batchSize();
    }

    /** The built-in sandbox gateway: test card tokens, no money moves, webhooks signed and posted like a real one. */
    interface Sandbox {
        /**
         * Where the sandbox posts its webhooks. Default: this service's own webhook endpoint on its HTTP port (the
         * actual port, also when it is random in tests).
         */
        Optional<String> webhookUrl();

        /** Delay before the sandbox posts the outcome of a charge, as a real gateway does asynchronously. */
        @WithDefault("200ms")
        Duration webhookDelay();

        /** Delivery attempts of one webhook before the sandbox gives up (it backs off between attempts). */
        @WithDefault("8")
        int deliveryAttempts();

        /**
         * The most charges the sandbox remembers (for idempotent replays and pending customer actions); the oldest are
         * forgotten first, so a long-running sandbox does not grow without bound.
         */
        @WithDefault("10000")
        int maxRememberedCharges();
    }

    /**
     * The Stripe adapter ({@code gateway=stripe}): Stripe's REST API called directly. Its webhooks go to
     * {@code /api/v1/webhooks/stripe}, verified with {@code webhooks.secrets.stripe} (the endpoint's {@code whsec_…}).
     */
    interface Stripe {
        /** Stripe's API; tests point it at a stand-in. */
        @WithDefault("https://api.stripe.com")
        String baseUrl();

        /**
         * The secret API key ({@code sk_live_…}, {@code sk_test_…} or a restricted {@code rk_…}), from the environment
         * ({@code PALISADE_STRIPE_API_KEY}) or a secret store, never committed. Required when {@code gateway=stripe}:
         * the service refuses to start without it. Never logged.
         */
        Optional<String> apiKey();

        /** The {@code Stripe-Version} every request is pinned to, so an account upgrade never changes what we parse. */
        @WithDefault("2025-12-15.clover")
        String apiVersion();

        /**
         * Where Stripe sends the customer back after a redirect-based authentication (3-D Secure). When set, charges
         * that need the customer answer a {@code next_action.redirect_to_url} the client opens.
         */
        Optional<String> returnUrl();

        /** Time to establish a connection to Stripe. */
        @WithDefault("2S")
        Duration connectTimeout();

        /** Time one request may take before it is abandoned (and retried with the same idempotency key). */
        @WithDefault("10S")
        Duration requestTimeout();

        /**
         * Retries of a request that got no answer (connection refused or reset, timeout) or one Stripe marks as
         * retryable (409, 429, {@code Stripe-Should-Retry: true}). Safe: every POST carries the same
         * {@code Idempotency-Key} on each attempt.
         */
        @WithDefault("2")
        int maxNetworkRetries();

        /** First delay between retries; it doubles with each retry. */
        @WithDefault("500ms")
        Duration retryBackoff();
    }
}
