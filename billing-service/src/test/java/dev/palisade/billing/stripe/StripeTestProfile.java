package dev.palisade.billing.stripe;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** billing-service with Stripe as its gateway, Stripe being WireMock. Test-only key and secret, never real ones. */
public class StripeTestProfile implements QuarkusTestProfile {

    /** TEST-ONLY values. */
    public static final String API_KEY = "sk_test_palisade_wiremock_only_0001";
    public static final String WEBHOOK_SECRET = "whsec_test_only_palisade_stripe_webhook_0001";
    public static final String API_VERSION = "2025-12-15.clover";
    public static final String RETURN_URL = "https://app.palisade.invalid/billing/3ds-return";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "palisade.billing.gateway", "stripe",
                "palisade.billing.stripe.api-key", API_KEY,
                "palisade.billing.stripe.api-version", API_VERSION,
                "palisade.billing.stripe.return-url", RETURN_URL,
                "palisade.billing.webhooks.secrets.stripe", WEBHOOK_SECRET,
                "palisade.billing.stripe.request-timeout", "1S",
                "palisade.billing.stripe.max-network-retries", "2",
                "palisade.billing.stripe.retry-backoff", "50ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StripeWireMock.class));
    }
}
