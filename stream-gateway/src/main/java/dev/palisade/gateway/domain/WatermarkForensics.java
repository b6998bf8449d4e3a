package dev.palisade.gateway.domain;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.gateway.client.EntitlementClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The operator's side of the A/B watermark: identifies captured (clear) segments as variant A or B by comparing their
 * SHA-256 with the origin's variants (fingerprints kept while serving, else fetched from the origin), then runs the
 * {@link WatermarkDetector} over the candidate sessions.
 */
@ApplicationScoped
public class WatermarkForensics {

    /** A captured segment: media sequence, rendition, origin object name (default {@code seg-<sequence>.ts}), clear bytes. */
    public record Captured(long sequence, String rendition, String object, byte[] data) {
    }

    /** The verdict and how many captures could not be told apart. */
    public record Verdict(WatermarkDetector.Result result, int unidentified) {
    }

    private final Watermarking watermarking;
    private final SegmentService segments;
    private final EntitlementClient entitlement;
    private final OriginRouter router;

    WatermarkForensics(Watermarking watermarking, SegmentService segments, EntitlementClient entitlement, OriginRouter router) {
        this.watermarking = watermarking;
        this.segments = segments;
        this.entitlement = entitlement;
        this.router = router;
    }

    public Uni<Verdict> detect(String channelId, List<WatermarkDetector.Candidate> candidates,
            List<WatermarkDetector.Observation> given, List<Captured> captured) {
        Uni<List<WatermarkDetector.Observation>> identified = captured.isEmpty() ? Uni.createFrom().item(List.of())
                : entitlement.channel(channelId).map(router::channel).chain(origins -> {
                    List<Uni<WatermarkDetector.Observation>> each = new ArrayList<>();
                    for (Captured c : captured) {
                        each.add(identify(origins, channelId, c));
                    }
                    return Uni.join().all(each).andFailFast();
                });
        return identified.emitOn(Infrastructure.getDefaultWorkerPool()).map(observed -> {
            List<WatermarkDetector.Observation> all = new ArrayList<>(given);
            int unidentified = 0;
            for (WatermarkDetector.Observation o : observed) {
                if (o == null) {
                    unidentified++;
                } else {
                    all.add(o);
                }
            }
            return new Verdict(new WatermarkDetector(watermarking.pattern()).detect(candidates, all), unidentified);
        });
    }

    private Uni<WatermarkDetector.Observation> identify(ChannelOrigins origins, String channelId, Captured c) {
        byte[] hash = SegmentService.sha256(c.data());
        SegmentService.Fingerprint known = segments.fingerprint(channelId, c.rendition(), c.sequence());
        Uni<SegmentService.Fingerprint> fingerprint = known != null && known.a() != null && known.b() != null
                ? Uni.createFrom().item(known)
                : Uni.combine().all().unis(fetch(origins, c, "A"), fetch(origins, c, "B")).asTuple()
                        .map(t -> new SegmentService.Fingerprint(t.getItem1(), t.getItem2()));
        return fingerprint.map(f -> {
            boolean isA = f.a() != null && MessageDigest.isEqual(f.a(), hash);
            boolean isB = f.b() != null && MessageDigest.isEqual(f.b(), hash);
            return isA == isB ? null : new WatermarkDetector.Observation(c.sequence(), isB);
        }).onFailure().recoverWithNull();
    }

    private Uni<byte[]> fetch(ChannelOrigins origins, Captured c, String variant) {
        String object = c.object() == null ? "seg-" + c.sequence() + ".ts" : c.object();
        return router.fetch(origins, c.rendition() + "/" + variant + "/" + object, OriginRouter.Kind.SEGMENT)
                .map(f -> f == null ? null : SegmentService.sha256(f.body().getBytes()))
                .onFailure().recoverWithNull();
    }
}
