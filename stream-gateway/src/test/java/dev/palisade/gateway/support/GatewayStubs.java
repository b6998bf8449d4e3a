package dev.palisade.gateway.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the gateway at the fake entitlement-service and token endpoint. */
public class GatewayStubs implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        FakeEntitlement fake = FakeEntitlement.get();
        return Map.of(
                "palisade.gateway.entitlement-url", fake.url(),
                "palisade.gateway.token-url", fake.url() + "/oauth2/token",
                "palisade.gateway.client-secret", FakeEntitlement.CLIENT_SECRET);
    }

    @Override
    public void stop() {
    }
}
