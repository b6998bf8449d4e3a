package dev.palisade.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.palisade.billing.client.StripePaymentGateway;
import dev.palisade.billing.config.BillingConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Every billing setting has a sane default; no secret is needed to start with the sandbox, while Stripe as the gateway
 * refuses to start without a secret key.
 */
class BillingConfigTest {

    @Test
    void defaultsApplyWithNothingConfigured() {
        BillingConfig config = load(Map.of());
        assertThat(config.gateway()).isEqualTo("sandbox");
        assertThat(config.idempotencyRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.webhooks().tolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.webhooks().secrets()).isEmpty();
        assertThat(config.dunning().retrySchedule()).containsExactly(Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(5));
        assertThat(config.dunning().gracePeriod()).isEqualTo(Duration.ofDays(7));
        assertThat(config.sandbox().webhookUrl()).isEmpty();
    }

    @Test
    void severalSecretsPerGatewayForRotation() {
        BillingConfig config = load(Map.of("palisade.billing.webhooks.secrets.stripe", "whsec_new,whsec_old",
                "palisade.billing.dunning.retry-schedule", "2H,1D"));
        assertThat(config.webhooks().secrets()).containsEntry("stripe", List.of("whsec_new", "whsec_old"));
        assertThat(config.dunning().retrySchedule()).containsExactly(Duration.ofHours(2), Duration.ofDays(1));
    }

    @Test
    void stripeDefaultsPinTheApiVersionAndNeedNoKeyWhileTheSandboxIsTheGateway() {
        BillingConfig config = load(Map.of());
        assertThat(config.stripe().baseUrl()).isEqualTo("https://api.stripe.com");
        assertThat(config.stripe().apiVersion()).isNotBlank();
        assertThat(config.stripe().apiKey()).isEmpty();
        assertThat(config.payments().requiresActionExpiry()).isEqualTo(Duration.ofHours(23));
        StripePaymentGateway.checkSettings(config);
    }

    @Test
    void withStripeAsTheGatewayAMissingOrPublishableKeyStopsTheStart() {
        assertThatThrownBy(() -> StripePaymentGateway.checkSettings(load(Map.of("palisade.billing.gateway", "stripe"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PALISADE_STRIPE_API_KEY");
        assertThatThrownBy(() -> StripePaymentGateway.checkSettings(load(Map.of("palisade.billing.gateway", "stripe",
                "palisade.billing.stripe.api-key", "pk_test_123")))).hasMessageContaining("publishable");
        assertThatThrownBy(() -> StripePaymentGateway.checkSettings(load(Map.of("palisade.billing.gateway", "stripe",
                "palisade.billing.stripe.api-key", "sk_test_123", "palisade.billing.stripe.base-url", "http://stripe.example"))))
                .hasMessageContaining("https");
        StripePaymentGateway.checkSettings(load(Map.of("palisade.billing.gateway", "stripe",
                "palisade.billing.stripe.api-key", "sk_test_123")));
    }

    private static BillingConfig load(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(BillingConfig.class).build();
        return config.getConfigMapping(BillingConfig.class);
    }
}
