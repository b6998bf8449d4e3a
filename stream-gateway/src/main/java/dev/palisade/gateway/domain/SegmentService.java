package dev.palisade.gateway.domain;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.palisade.gateway.api.GatewayProblems;
import dev.palisade.gateway.client.EntitlementClient.ContentKey;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.messaging.GatewayEvents;
import dev.palisade.gateway.messaging.SegmentError;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Segments as players get them: the A or B variant from the serving origin, AES-128-CBC (PKCS#7) encrypted with the
 * channel's key of the segment's key period and IV = media sequence number. Encrypted bytes are cached per (channel,
 * rendition, sequence, variant, key id) in a cache bounded by bytes; concurrent requests for the same entry share one
 * origin fetch and one encryption (coalescing). Fingerprints (SHA-256) of the clear variants are kept for the watermark
 * detector. An origin without a B variant serves A; without variants at all, the plain segment.
 */
@ApplicationScoped
public class SegmentService {

    /** Encrypted bytes and the variant actually served ({@code A}, {@code B} or {@code -} for no variants). */
    public record Delivered(byte[] bytes, String variant) {
    }

    /** Clear bytes as fetched. */
    public record Clear(byte[] bytes, String variant) {
    }

    /** SHA-256 of a segment's clear variants (null when not seen). */
    public record Fingerprint(byte[] a, byte[] b) {
    }

    private final OriginRouter router;
    private final GatewayMetrics metrics;
    private final GatewayEvents events;
    private final AsyncCache<String, Delivered> cache;
    private final Cache<String, Fingerprint> fingerprints;

    SegmentService(OriginRouter router, GatewayMetrics metrics, GatewayEvents events, GatewayConfig config) {
        this.router = router;
        this.metrics = metrics;
        this.events = events;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(config.cache().segmentBytes())
                .weigher((String k, Delivered v) -> v.bytes().length + 64)
                .expireAfterWrite(config.cache().segmentTtl())
                .buildAsync();
        this.fingerprints = Caffeine.newBuilder().maximumSize(config.watermark().fingerprints()).build();
    }

    public Uni<Delivered> encrypted(ChannelOrigins channel, String rendition, long sequence, String object, String variant,
            ContentKey key) {
        String cacheKey = channel.channelId() + '|' + rendition + '|' + sequence + '|' + variant + '|' + key.kid();
        CompletableFuture<Delivered> existing = cache.getIfPresent(cacheKey);
        if (existing != null) {
            if (existing.isDone() && !existing.isCompletedExceptionally()) {
                metrics.segmentHit();
                return Uni.createFrom().item(existing.join());
            }
            metrics.coalesced();
            return Uni.createFrom().completionStage(existing);
        }
        metrics.segmentMiss();
        return Uni.createFrom().completionStage(() -> cache.get(cacheKey, (k, executor) -> clear(channel, rendition, sequence, object, variant)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(clear -> new Delivered(encrypt(clear.bytes(), key.key(), sequence), clear.variant()))
                .onFailure().invoke(e -> segmentError(channel.channelId(), rendition, sequence, e))
                .subscribeAsCompletionStage()));
    }

    /** The clear bytes of a variant: B falls back to A, A to the plain segment. */
    public Uni<Clear> clear(ChannelOrigins channel, String rendition, long sequence, String object, String variant) {
        return fetch(channel, rendition + "/" + variant + "/" + object, variant)
                .onItem().ifNull().switchTo(() -> "B".equals(variant) ? fetch(channel, rendition + "/A/" + object, "A")
                        : Uni.createFrom().nullItem())
                .onItem().ifNull().switchTo(() -> fetch(channel, rendition + "/" + object, "-"))
                .onItem().ifNull().failWith(() -> GatewayProblems.notFound("Segment " + sequence))
                .invoke(clear -> remember(channel.channelId(), rendition, sequence, clear));
    }

    private Uni<Clear> fetch(ChannelOrigins channel, String relative, String variant) {
        return router.fetch(channel, relative, OriginRouter.Kind.SEGMENT)
                .map(fetched -> fetched == null ? null : new Clear(fetched.body().getBytes(), variant));
    }

    private void remember(String channelId, String rendition, long sequence, Clear clear) {
        if ("-".equals(clear.variant())) {
            return;
        }
        byte[] hash = sha256(clear.bytes());
        fingerprints.asMap().merge(channelId + '|' + rendition + '|' + sequence,
                "A".equals(clear.variant()) ? new Fingerprint(hash, null) : new Fingerprint(null, hash),
                (old, add) -> new Fingerprint(add.a() != null ? add.a() : old.a(), add.b() != null ? add.b() : old.b()));
    }

    /** Known fingerprints of a segment, or null. */
    public Fingerprint fingerprint(String channelId, String rendition, long sequence) {
        return fingerprints.getIfPresent(channelId + '|' + rendition + '|' + sequence);
    }

    private void segmentError(String channelId, String rendition, long sequence, Throwable e) {
        String reason = e instanceof HttpProblem p && p.getStatusCode() == 404 ? "not_found"
                : e instanceof HttpProblem ? "origin_unavailable" : "error";
        events.publish(channelId, "segment.error", new SegmentError(channelId, rendition, sequence, reason, Instant.now().toString()));
    }

    /** AES-128-CBC with PKCS#7 padding and IV = the media sequence number as a 128-bit big-endian integer. */
    public static byte[] encrypt(byte[] clear, byte[] key, long sequence) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv(sequence)));
            return cipher.doFinal(clear);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128 encryption failed", e);
        }
    }

    public static byte[] iv(long sequence) {
        return ByteBuffer.allocate(16).putLong(0).putLong(sequence).array();
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
