package dev.palisade.billing.domain;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import dev.palisade.billing.config.BillingConfig;

/** The payment gateway adapters present, and the one configured for new charges. */
@ApplicationScoped
public class PaymentGateways {

    private final Instance<PaymentGateway> gateways;
    private final BillingConfig config;

    PaymentGateways(@Any Instance<PaymentGateway> gateways, BillingConfig config) {
        this.gateways = gateways;
        this.config = config;
    }

    /** The adapter new payment methods and charges go through ({@code palisade.billing.gateway}). */
    public PaymentGateway active() {
        return byName(config.gateway()).orElseThrow(
                () -> new IllegalStateException("No payment gateway adapter named " + config.gateway()));
    }

    public Optional<PaymentGateway> byName(String name) {
        return gateways.stream().filter(g -> g.name().equals(name)).findFirst();
    }
}
