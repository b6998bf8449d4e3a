package dev.palisade.billing.domain;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.billing.api.BillingProblems;
import dev.palisade.billing.config.BillingConfig;
import dev.palisade.billing.repository.PaymentRepository;
import dev.palisade.billing.repository.WebhookEventRepository;
import dev.palisade.billing.security.WebhookSecrets;
import dev.palisade.billing.security.WebhookSignature;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Gateway webhooks: nothing is read before the signature is verified; each event id is recorded once, in the same
 * transaction as its effect, so an event is processed exactly once however often it is delivered.
 */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);

    /** What became of a delivery. */
    public enum Result {
        PROCESSED, DUPLICATE, IGNORED
    }

    private final PaymentGateways gateways;
    private final WebhookEventRepository log;
    private final PaymentRepository payments;
    private final PaymentOutcomes outcomes;
    private final BillingConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final WebhookSecrets secrets;

    WebhookService(WebhookSecrets secrets, PaymentGateways gateways, WebhookEventRepository log, PaymentRepository payments, PaymentOutcomes outcomes,
            BillingConfig config, Clock clock, MeterRegistry registry) {
        this.secrets = secrets;
        this.gateways = gateways;
        this.log = log;
        this.payments = payments;
        this.outcomes = outcomes;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
    }

    /**
     * Verifies and verifies only; call before any transaction is opened.
     *
     * @throws io.quarkiverse.resteasy.problem.HttpProblem 400 when the signature is missing, malformed, stale or wrong,
     *         404 for an unknown gateway
     */
    public PaymentGateway verify(String gatewayName, String signatureHeader, String rawBody) {
        PaymentGateway gateway = gateways.byName(gatewayName)
                .orElseThrow(() -> BillingProblems.notFound("Payment gateway " + gatewayName));
        List<String> accepted = secrets.accepted(gatewayName);
        WebhookSignature.Verdict verdict = accepted.isEmpty() ? WebhookSignature.Verdict.MISMATCH
                : WebhookSignature.verify(signatureHeader, rawBody == null ? "" : rawBody, accepted, clock.instant(),
                        config.webhooks().tolerance());
        if (verdict != WebhookSignature.Verdict.VALID) {
            registry.counter("palisade_billing_webhooks_refused_total", "gateway", gatewayName, "reason",
                    verdict.name().toLowerCase()).increment();
            LOG.warnf("Refused a %s webhook: signature %s", gatewayName, verdict);
            throw BillingProblems.invalidSignature(verdict.name().toLowerCase());
        }
        return gateway;
    }

    @WithTransaction
    public Uni<Result> process(PaymentGateway gateway, String rawBody) {
        PaymentGateway.GatewayEvent event;
        try {
            event = gateway.parseEvent(rawBody);
        } catch (IllegalArgumentException e) {
            throw BillingProblems.invalidWebhook(e.getMessage());
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        return log.recordOnce(event.id(), gateway.name(), event.type(), rawBody, now).chain(first -> {
            if (!first) {
                registry.counter("palisade_billing_webhooks_total", "gateway", gateway.name(), "result", "duplicate").increment();
                return Uni.createFrom().item(Result.DUPLICATE);
            }
            if (event.outcome() == null) {
                return Uni.createFrom().item(Result.IGNORED);
            }
            return payments.lockByGatewayId(gateway.name(), event.gatewayPaymentId()).chain(payment -> {
                if (payment == null) {
                    // Not recorded (the transaction rolls back): the gateway retries, by then the charge may be committed.
                    throw BillingProblems.unknownPayment();
                }
                Uni<Void> applied = event.outcome() == PaymentGateway.Outcome.PAYMENT_SUCCEEDED
                        ? outcomes.succeeded(payment, now)
                        : outcomes.failed(payment, event.failureCode(), now);
                return applied.map(ignored -> {
                    registry.counter("palisade_billing_webhooks_total", "gateway", gateway.name(), "result", "processed")
                            .increment();
                    return Result.PROCESSED;
                });
            });
        });
    }
}
