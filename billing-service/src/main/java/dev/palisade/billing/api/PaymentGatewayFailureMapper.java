package dev.palisade.billing.api;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.palisade.billing.domain.PaymentGateway;

/**
 * A payment gateway that cannot be asked fails the subscriber's request as a whole: the transaction rolls back (no
 * subscription, invoice, payment or Idempotency-Key is left behind) and the answer is 503 (try again) or 502.
 */
public class PaymentGatewayFailureMapper {

    private static final Logger LOG = Logger.getLogger(PaymentGatewayFailureMapper.class);

    @ServerExceptionMapper
    public Response map(PaymentGateway.Unavailable failure) {
        return problem(failure).toResponse();
    }

    static io.quarkiverse.resteasy.problem.HttpProblem problem(PaymentGateway.Unavailable failure) {
        LOG.warnf("Request failed, payment gateway unavailable: %s", failure.getMessage());
        return BillingProblems.gatewayUnavailable(failure.temporary());
    }
}
