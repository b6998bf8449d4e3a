package dev.palisade.billing.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.billing.config.BillingConfig;
import dev.palisade.billing.domain.PaymentGateway;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The sandbox's memory of charges is bounded: the oldest are forgotten, recent ones still replay. */
class SandboxPaymentGatewayTest {

    @Test
    void aLongRunningSandboxForgetsItsOldestChargesBeyondTheBound() {
        BillingConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(Map.of("palisade.billing.sandbox.max-remembered-charges", "3"),
                        "test", 100))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(BillingConfig.class).build().getConfigMapping(BillingConfig.class);
        SandboxPaymentGateway sandbox = new SandboxPaymentGateway(config, new ObjectMapper(), null);

        List<UUID> ids = new ArrayList<>();
        List<PaymentGateway.ChargeResult> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            results.add(charge(sandbox, id));
        }
        // The newest charges are remembered: asking again answers the same charge.
        assertThat(charge(sandbox, ids.get(4)).gatewayPaymentId()).isEqualTo(results.get(4).gatewayPaymentId());
        // The oldest were forgotten, their customer action too.
        assertThat(sandbox.completeAction(results.get(0).gatewayPaymentId())).isFalse();
        assertThat(sandbox.completeAction(results.get(1).gatewayPaymentId())).isFalse();
    }

    private static PaymentGateway.ChargeResult charge(SandboxPaymentGateway sandbox, UUID id) {
        return sandbox.charge(new PaymentGateway.ChargeRequest(id, "acct-1", SandboxPaymentGateway.TOKEN_REQUIRES_ACTION,
                null, 100, "EUR", "test", true)).await().indefinitely();
    }
}
