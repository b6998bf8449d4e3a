package dev.palisade.entitlement.domain;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.palisade.entitlement.config.ContentKeyConfig;
import dev.palisade.entitlement.repository.ContentKeyRepository;
import dev.palisade.entitlement.security.SecretCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Content keys: a random 128-bit key per channel per key period, created on first use (by the first replica that asks;
 * the others read the same row), kept wrapped under the active key-encryption key. Changing the active KEK needs no
 * downtime: keys wrapped under an older KEK still open while listed, and a background job re-wraps them in small
 * transactions until none is left.
 */
@ApplicationScoped
public class ContentKeyService {

    private static final Logger LOG = Logger.getLogger(ContentKeyService.class);

    /** A content key in the clear, for delivery. Never logged, never stored like this. */
    public record ClearKey(String channelId, long period, UUID kid, byte[] key, Instant notBefore, Instant notAfter) {
    }

    /** Where re-wrapping stands: keys per KEK id, and the active one. */
    public record WrapStatus(String activeKekId, java.util.Map<String, Long> keysByKek) {
    }

    private final ContentKeyRepository keys;
    private final SecretCipher cipher;
    private final ContentKeyConfig config;
    private final MeterRegistry metrics;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();

    ContentKeyService(ContentKeyRepository keys, SecretCipher cipher, ContentKeyConfig config, MeterRegistry metrics) {
        this.keys = keys;
        this.cipher = cipher;
        this.config = config;
        this.metrics = metrics;
    }

    public static long period(Channel channel, Instant at) {
        return Math.floorDiv(at.getEpochSecond(), channel.keyRotationSeconds);
    }

    public long currentPeriod(Channel channel) {
        return period(channel, clock.instant());
    }

    /** The key of {@code channel} for {@code period}, created if it does not exist yet. Call within a session. */
    public Uni<ClearKey> keyFor(Channel channel, long period) {
        return keys.forPeriod(channel.id, period).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            return keys.insertIfAbsent(newKey(channel, period)).chain(() -> keys.forPeriod(channel.id, period));
        }).map(this::open);
    }

    /** The key with id {@code kid} of {@code channelId}, or null when the channel has no such key. */
    public Uni<ClearKey> byKid(String channelId, UUID kid) {
        return keys.forKid(channelId, kid).map(k -> k == null ? null : open(k));
    }

    /** Keys of {@code channel} for periods {@code from}..{@code to}, creating the missing ones. Call within a transaction. */
    public Uni<List<ClearKey>> range(Channel channel, long from, long to) {
        Uni<List<ClearKey>> chain = Uni.createFrom().item(new ArrayList<>());
        for (long p = from; p <= to; p++) {
            long period = p;
            chain = chain.chain(list -> keyFor(channel, period).map(k -> {
                list.add(k);
                return list;
            }));
        }
        return chain;
    }

    /** Whether a viewer may still be given this key now: its period is not in the future beyond the next one, nor long over. */
    public boolean deliverable(ClearKey key) {
        Instant now = clock.instant();
        long periodSeconds = key.notAfter().getEpochSecond() - key.notBefore().getEpochSecond();
        return !key.notBefore().isAfter(now.plusSeconds(periodSeconds)) && !key.notAfter().isBefore(now.minus(config.pastWindow()));
    }

    public Uni<WrapStatus> status() {
        return Panache.withSession(keys::countsByKek).map(rows -> {
            java.util.Map<String, Long> counts = new java.util.TreeMap<>();
            rows.forEach(r -> counts.put((String) r[0], ((Number) r[1]).longValue()));
            return new WrapStatus(cipher.activeKeyId(), counts);
        });
    }

    /** Re-wraps every key not under the active KEK, a batch per transaction; answers how many were re-wrapped. */
    public Uni<Long> rewrapAll() {
        return rewrapBatch(0L);
    }

    private Uni<Long> rewrapBatch(long doneSoFar) {
        return Panache.withTransaction(() -> keys.wrappedUnderOtherKek(cipher.activeKeyId(), config.rewrapBatch()).map(batch -> {
            for (ContentKey k : batch) {
                byte[] clear = cipher.open(new SecretCipher.Sealed(k.kekId, k.wrappedKey));
                SecretCipher.Sealed sealed = cipher.seal(clear);
                java.util.Arrays.fill(clear, (byte) 0);
                k.kekId = sealed.keyId();
                k.wrappedKey = sealed.ciphertext();
            }
            return batch.size();
        })).chain(n -> {
            if (n > 0) {
                metrics.counter("palisade_content_keys_rewrapped_total").increment(n);
            }
            long done = doneSoFar + n;
            return n < config.rewrapBatch() ? Uni.createFrom().item(done) : rewrapBatch(done);
        });
    }

    @Scheduled(every = "${palisade.entitlement.content-keys.rewrap-interval:1m}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> maintain() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(config.retention());
        return rewrapAll().invoke(n -> {
            if (n > 0) {
                LOG.infof("Re-wrapped %d content keys under key-encryption key %s", n, cipher.activeKeyId());
            }
        }).chain(() -> Panache.withTransaction(() -> keys.deleteEndedBefore(cutoff))).invoke(n -> {
            if (n > 0) {
                LOG.infof("Deleted %d content keys of periods ended before %s", n, cutoff);
            }
        }).onFailure().invoke(e -> LOG.warnf("Content key maintenance failed: %s", e.getMessage())).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private ContentKey newKey(Channel channel, long period) {
        byte[] clear = new byte[16];
        random.nextBytes(clear);
        SecretCipher.Sealed sealed = cipher.seal(clear);
        java.util.Arrays.fill(clear, (byte) 0);
        ContentKey k = new ContentKey();
        k.kid = UUID.randomUUID();
        k.channelId = channel.id;
        k.period = period;
        k.kekId = sealed.keyId();
        k.wrappedKey = sealed.ciphertext();
        k.notBefore = OffsetDateTime.ofInstant(Instant.ofEpochSecond(period * channel.keyRotationSeconds), ZoneOffset.UTC);
        k.notAfter = OffsetDateTime.ofInstant(Instant.ofEpochSecond((period + 1) * channel.keyRotationSeconds), ZoneOffset.UTC);
        k.createdAt = OffsetDateTime.now(clock);
        metrics.counter("palisade_content_keys_created_total").increment();
        return k;
    }

    private ClearKey open(ContentKey k) {
        byte[] clear = cipher.open(new SecretCipher.Sealed(k.kekId, k.wrappedKey));
        return new ClearKey(k.channelId, k.period, k.kid, clear, k.notBefore.toInstant(), k.notAfter.toInstant());
    }
}
