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

    /** The payment gateway adapter charges go through: {@code sandbox} (built in, the local default). */
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
    }
}
