package dev.palisade.billing.stripe;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stripe's API played by WireMock on a free local port; the service is pointed at it through
 * {@code palisade.billing.stripe.base-url}. Tests register Stripe's documented answers and check what was asked.
 */
public class StripeWireMock implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of("palisade.billing.stripe.base-url", "http://127.0.0.1:" + server.port());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
