package dev.palisade.billing.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executor;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.palisade.billing.config.BillingConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Stripe's REST API at the HTTP level (https://docs.stripe.com/api), non-blocking on the Vert.x web client: the secret
 * key as {@code Authorization: Bearer}, the pinned {@code Stripe-Version}, form-encoded POST bodies, and the caller's
 * {@code Idempotency-Key} on every attempt of a POST. Requests without an answer (connection refused or reset, timeout)
 * and answers Stripe marks as retryable (409, 429, {@code Stripe-Should-Retry: true}; 5xx for reads) are retried a
 * bounded number of times with back-off; by Stripe's contract a POST retried with its idempotency key never acts twice.
 *
 * <p>Any 4xx is an answer (the caller maps it) and never opens the circuit breaker; only no answer or a 5xx does
 * ({@link Unreachable}). The key is never logged, nor are bodies or paths that carry card tokens.
 */
@ApplicationScoped
public class StripeClient {

    private static final Logger LOG = Logger.getLogger(StripeClient.class);

    /**
     * One call. {@code operation} names it in logs without ids (e.g. {@code "GET /v1/payment_methods/{id}"});
     * {@code form} is null for a GET; {@code idempotencyKey} is required for POSTs.
     */
    public record StripeRequest(HttpMethod method, String path, String operation, Map<String, String> form,
            String idempotencyKey) {

        public static StripeRequest get(String path, String operation) {
            return new StripeRequest(HttpMethod.GET, path, operation, null, null);
        }

        public static StripeRequest post(String path, String operation, Map<String, String> form, String idempotencyKey) {
            if (idempotencyKey == null || idempotencyKey.isBlank()) {
                throw new IllegalArgumentException("Every POST to Stripe carries an Idempotency-Key");
            }
            return new StripeRequest(HttpMethod.POST, path, operation, form, idempotencyKey);
        }
    }

    /**
     * Stripe's answer: HTTP status, the JSON body (a missing node when it is not JSON), Stripe's request id and its
     * {@code Stripe-Should-Retry} advice (null when absent).
     */
    public record StripeResponse(int status, JsonNode body, String requestId, String shouldRetry) {

        public boolean ok() {
            return status / 100 == 2;
        }

        /** The {@code error} object of an error answer (missing when there is none). */
        public JsonNode error() {
            return body.path("error");
        }
    }

    /** No usable answer after the retries: no answer at all ({@code status} 0) or a server error (5xx). */
    public static final class Unreachable extends RuntimeException {
        private final int status;

        Unreachable(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** An attempt that got no answer; retried. */
    private static final class NoAnswer extends RuntimeException {
        NoAnswer(Throwable cause) {
            // Only the kind of failure: the messages of the HTTP client name the URL, which may carry a card token.
            super(cause == null ? "timed out" : cause.getClass().getSimpleName(), cause, false, false);
        }
    }

    /** An answer Stripe says may be retried; if the retries run out it is the answer. */
    private static final class RetryableAnswer extends RuntimeException {
        final StripeResponse response;

        RetryableAnswer(StripeResponse response) {
            super("HTTP " + response.status(), null, false, false);
            this.response = response;
        }
    }

    private final BillingConfig.Stripe config;
    private final ObjectMapper json;
    private final WebClient web;

    StripeClient(BillingConfig config, ObjectMapper json, Vertx vertx) {
        this.config = config.stripe();
        this.json = json;
        this.web = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, this.config.connectTimeout().toMillis()))
                .setFollowRedirects(false)
                .setUserAgent("Palisade-billing-service"));
    }

    @PreDestroy
    void close() {
        web.close();
    }

    /**
     * Sends a request and answers Stripe's answer, whatever its status below 500.
     *
     * @return fails with {@link Unreachable} when no answer or a 5xx came after the retries, with
     *         {@link org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException} while Stripe is
     *         considered down
     */
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 2, failOn = Unreachable.class)
    @CircuitBreakerName("stripe-api")
    public Uni<StripeResponse> send(StripeRequest request) {
        String apiKey = config.apiKey().filter(k -> !k.isBlank()).orElse(null);
        if (apiKey == null) {
            return Uni.createFrom().failure(new IllegalStateException("palisade.billing.stripe.api-key is not set"));
        }
        // Continue on the caller's Vert.x context: retries and timeouts fire elsewhere, and a Hibernate Reactive session
        // must only be used on the context that opened it.
        Context caller = io.vertx.core.Vertx.currentContext();
        Executor back = caller == null ? Infrastructure.getDefaultExecutor() : task -> caller.runOnContext(ignored -> task.run());

        Uni<StripeResponse> attempt = Uni.createFrom().deferred(() -> attempt(request, apiKey))
                .ifNoItem().after(config.requestTimeout().plusSeconds(1)).failWith(() -> new NoAnswer(null))
                .onItem().transform(response -> {
                    if (retryable(request, response)) {
                        throw new RetryableAnswer(response);
                    }
                    return response;
                });
        int retries = Math.max(0, config.maxNetworkRetries());
        if (retries > 0) {
            Duration backoff = config.retryBackoff();
            attempt = attempt
                    .onFailure(f -> f instanceof NoAnswer || f instanceof RetryableAnswer)
                    .invoke(f -> LOG.infof("Stripe %s attempt failed (%s)%s", request.operation(), f.getMessage(),
                            request.idempotencyKey() == null ? "" : "; a retry carries the same Idempotency-Key"))
                    .onFailure(f -> f instanceof NoAnswer || f instanceof RetryableAnswer)
                    .retry().withBackOff(backoff, backoff.multipliedBy(8)).atMost(retries);
        }
        return attempt
                .onFailure(RetryableAnswer.class).recoverWithItem(f -> ((RetryableAnswer) f).response)
                .onFailure(NoAnswer.class).transform(f -> new Unreachable(
                        "Stripe " + request.operation() + " got no answer (" + f.getMessage() + ")", 0, null))
                .onItem().transform(response -> {
                    if (response.status() >= 500) {
                        throw new Unreachable("Stripe " + request.operation() + " answered HTTP " + response.status()
                                + " (request " + response.requestId() + ")", response.status(), null);
                    }
                    return response;
                })
                .emitOn(back);
    }

    private Uni<StripeResponse> attempt(StripeRequest request, String apiKey) {
        HttpRequest<Buffer> http = web.requestAbs(request.method(), url(request.path()))
                .putHeader("Authorization", "Bearer " + apiKey)
                .putHeader("Stripe-Version", config.apiVersion())
                .putHeader("Accept", "application/json")
                .timeout(config.requestTimeout().toMillis());
        Uni<HttpResponse<Buffer>> sent;
        if (request.form() != null) {
            http.putHeader("Idempotency-Key", request.idempotencyKey())
                    .putHeader("Content-Type", "application/x-www-form-urlencoded");
            sent = http.sendBuffer(Buffer.buffer(encode(request.form())));
        } else {
            sent = http.send();
        }
        return sent.onFailure().transform(NoAnswer::new).map(response -> {
            StripeResponse answer = new StripeResponse(response.statusCode(), parse(response.bodyAsString()),
                    response.getHeader("Request-Id"), response.getHeader("Stripe-Should-Retry"));
            LOG.debugf("Stripe %s -> %d (request %s)", request.operation(), answer.status(), answer.requestId());
            return answer;
        });
    }

    private static boolean retryable(StripeRequest request, StripeResponse response) {
        if (response.ok()) {
            return false;
        }
        if ("true".equals(response.shouldRetry())) {
            return true;
        }
        if ("false".equals(response.shouldRetry())) {
            return false;
        }
        int status = response.status();
        if (status == 409 || status == 429) {
            return true;
        }
        // Stripe replays a POST's saved 5xx for its idempotency key, so only reads gain from another attempt.
        return status >= 500 && request.method() == HttpMethod.GET;
    }

    private String url(String path) {
        String base = config.baseUrl();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    /** {@code application/x-www-form-urlencoded} the way Stripe's own libraries write it (brackets left readable). */
    static String encode(Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((key, value) -> {
            if (value != null) {
                body.add(URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%5B", "[").replace("%5D", "]") + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return body.toString();
    }
}
