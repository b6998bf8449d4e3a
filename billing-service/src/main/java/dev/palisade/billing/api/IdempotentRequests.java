package dev.palisade.billing.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.billing.config.BillingConfig;
import dev.palisade.billing.repository.IdempotencyRepository;
import io.smallrye.mutiny.Uni;

/**
 * {@code Idempotency-Key} for state-changing POSTs. The key is claimed in the transaction of the change itself: a
 * concurrent retry waits for the first to commit, then gets its stored response (replayed, with
 * {@code Idempotent-Replayed: true}) for {@link BillingConfig#idempotencyRetention()}; the same key with another method,
 * path or body is a 422. A request that fails leaves no key behind, so it can be retried.
 */
@ApplicationScoped
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 255;

    /**
     * The response of a request: status and body (serialised to JSON and stored). A reply with an error status is an
     * outcome kept on record (a first payment the gateway declined) and is replayed as such.
     */
    public record Reply(int status, Object body) {
    }

    private final IdempotencyRepository repository;
    private final ObjectMapper json;
    private final BillingConfig config;
    private final Clock clock;

    IdempotentRequests(IdempotencyRepository repository, ObjectMapper json, BillingConfig config, Clock clock) {
        this.repository = repository;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /** Runs {@code work} once per key; must be called inside a transaction. */
    public Uni<Response> once(String account, String key, String method, String path, Object requestBody,
            Supplier<Uni<Reply>> work) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            return Uni.createFrom().failure(BillingProblems.idempotencyKeyRequired());
        }
        String fingerprint = fingerprint(method, path, requestBody);
        OffsetDateTime now = OffsetDateTime.now(clock);
        return repository.claim(account, key, fingerprint, now, now.plus(config.idempotencyRetention())).chain(claimed -> {
            if (claimed) {
                return work.get().chain(reply -> {
                    String body = write(reply.body());
                    return repository.complete(account, key, reply.status(), body)
                            .replaceWith(() -> Response.status(reply.status()).entity(body).type(mediaType(reply.status()))
                                    .build());
                });
            }
            return repository.findById(new dev.palisade.billing.domain.IdempotencyRecord.Key(account, key)).map(stored -> {
                if (stored == null || !stored.fingerprint.equals(fingerprint)) {
                    throw BillingProblems.idempotencyKeyReused();
                }
                if (stored.statusCode == null) {
                    throw BillingProblems.conflict("request-in-progress", "A request with this Idempotency-Key is in progress.");
                }
                return Response.status(stored.statusCode).entity(stored.responseBody).type(mediaType(stored.statusCode))
                        .header("Idempotent-Replayed", "true").build();
            });
        });
    }

    /** A stored error reply (e.g. a declined first payment, kept on record) is an RFC 9457 problem. */
    private static String mediaType(int status) {
        return status >= 400 ? "application/problem+json" : MediaType.APPLICATION_JSON;
    }

    private String fingerprint(String method, String path, Object body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(write(body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Response is not serialisable", e);
        }
    }
}
