package dev.palisade.billing.api;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;

import org.hibernate.JDBCException;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkiverse.resteasy.problem.HttpProblem;
import io.vertx.pgclient.PgException;

/**
 * Two requests that change the same thing at once: the loser's transaction is rolled back by the database (a unique
 * constraint, e.g. one live subscription per account) or by optimistic locking, and the caller gets a 409 to retry,
 * not a 500. Any other persistence failure stays a 500, without details.
 */
public class ConcurrentChangeMapper {

    private static final Logger LOG = Logger.getLogger(ConcurrentChangeMapper.class);
    private static final String UNIQUE_VIOLATION = "23505";

    @ServerExceptionMapper
    public Response map(PersistenceException failure) {
        return problem(failure).toResponse();
    }

    @ServerExceptionMapper
    public Response map(PgException failure) {
        return problem(failure).toResponse();
    }

    @ServerExceptionMapper
    public Response map(CompletionException failure) {
        if (failure.getCause() instanceof HttpProblem problem) {
            return problem.toResponse();
        }
        if (failure.getCause() instanceof dev.palisade.billing.domain.PaymentGateway.Unavailable unavailable) {
            return PaymentGatewayFailureMapper.problem(unavailable).toResponse();
        }
        return problem(failure).toResponse();
    }

    private static HttpProblem problem(RuntimeException failure) {
        if (isConcurrentChange(failure)) {
            return BillingProblems.conflict("concurrent-change",
                    "Another request changed the same data at the same time. Try again.");
        }
        LOG.error("Request failed", failure);
        return HttpProblem.builder().withTitle("Internal Server Error").withStatus(500).build();
    }

    static boolean isConcurrentChange(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
            if (t instanceof JDBCException jdbc && UNIQUE_VIOLATION.equals(jdbc.getSQLState())
                    || t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())
                    || t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
