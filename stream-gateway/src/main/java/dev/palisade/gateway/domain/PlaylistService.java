package dev.palisade.gateway.domain;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.palisade.gateway.api.GatewayProblems;
import dev.palisade.gateway.client.EntitlementClient;
import dev.palisade.gateway.client.EntitlementClient.ChannelSettings;
import dev.palisade.gateway.client.EntitlementClient.ContentKey;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.security.PlaybackClaims;
import dev.palisade.gateway.security.SegmentUrlSigner;
import io.smallrye.mutiny.Uni;

/**
 * Playlists as one player gets them. The origin's playlists are fetched once for everybody (cached briefly, concurrent
 * asks coalesced); each player then gets them rewritten for its session: rendition URIs carry its playback token, and
 * every segment gets an {@code EXT-X-KEY} (AES-128, the key of the segment's period at entitlement-service, fetched by
 * the player with its token, IV = media sequence) and a signed gateway URL bound to the session.
 */
@ApplicationScoped
public class PlaylistService {

    private static final Logger LOG = Logger.getLogger(PlaylistService.class);
    /** Origin segment URIs the gateway serves: relative plain paths. */
    private static final Pattern SEGMENT_URI = Pattern.compile("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$");

    /** An origin media playlist and when it was fetched. */
    record Fetched(MediaPlaylist playlist, long fetchedAtMillis) {
    }

    private final OriginRouter router;
    private final EntitlementClient entitlement;
    private final SegmentUrlSigner signer;
    private final GatewayMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final AsyncCache<String, String> masters;
    private final AsyncCache<String, Fetched> medias;

    PlaylistService(OriginRouter router, EntitlementClient entitlement, SegmentUrlSigner signer, GatewayMetrics metrics,
            GatewayConfig config) {
        this.router = router;
        this.entitlement = entitlement;
        this.signer = signer;
        this.metrics = metrics;
        this.masters = Caffeine.newBuilder().expireAfterWrite(config.cache().masterTtl()).maximumSize(10_000).buildAsync();
        this.medias = Caffeine.newBuilder().expireAfterWrite(config.cache().playlistTtl()).maximumSize(50_000).buildAsync();
    }

    /** The multivariant playlist for a player: rendition URIs relative to it, carrying the token. */
    public Uni<String> master(ChannelOrigins channel, PlaybackClaims claims) {
        String suffix = "?token=" + URLEncoder.encode(claims.token(), StandardCharsets.UTF_8);
        return cached(masters, channel.channelId(), key -> router.fetch(channel, "master.m3u8", OriginRouter.Kind.MASTER)
                .onItem().ifNull().failWith(() -> GatewayProblems.notFound("Channel " + channel.channelId()))
                .map(OriginRouter.Fetched::text))
                .map(text -> {
                    List<String> renditions = MasterPlaylist.renditions(text);
                    if (!renditions.isEmpty()) {
                        for (String line : text.split("\r?\n")) {
                            if (line.startsWith(renditions.get(0) + "/")) {
                                router.learnProbePath(channel, line.strip());
                                break;
                            }
                        }
                    }
                    return MasterPlaylist.rewrite(text, uri -> uri + suffix);
                });
    }

    /** A media playlist for a player: per-segment keys and signed segment URLs. */
    public Uni<String> media(ChannelOrigins channel, ChannelSettings settings, String rendition, String name, PlaybackClaims claims) {
        String relative = rendition + "/" + name;
        router.learnProbePath(channel, relative);
        return cached(medias, channel.channelId() + "/" + relative,
                key -> router.fetch(channel, relative, OriginRouter.Kind.MEDIA)
                        .onItem().ifNull().failWith(() -> GatewayProblems.notFound("Rendition " + rendition))
                        .map(f -> new Fetched(MediaPlaylist.parse(f.text()), clock.millis())))
                .chain(fetched -> {
                    long rotation = Math.max(1, settings.keyRotationSeconds());
                    Set<Long> periods = new LinkedHashSet<>();
                    for (MediaPlaylist.Segment s : fetched.playlist().segments()) {
                        periods.add(period(s, fetched.fetchedAtMillis(), rotation));
                    }
                    if (periods.isEmpty()) {
                        return Uni.createFrom().item(write(channel.channelId(), rendition, fetched, Map.of(), rotation, claims));
                    }
                    List<Uni<ContentKey>> keys = periods.stream().map(p -> entitlement.key(channel.channelId(), p)).toList();
                    return Uni.join().all(keys).andFailFast().map(list -> write(channel.channelId(), rendition, fetched,
                            list.stream().collect(Collectors.toMap(ContentKey::period, Function.identity(), (a, b) -> a)), rotation,
                            claims));
                });
    }

    static long period(MediaPlaylist.Segment segment, long fetchedAtMillis, long rotationSeconds) {
        long epochSeconds = segment.programDateTime() != null ? segment.programDateTime().getEpochSecond() : fetchedAtMillis / 1000;
        return Math.floorDiv(epochSeconds, rotationSeconds);
    }

    private String write(String channelId, String rendition, Fetched fetched, Map<Long, ContentKey> keys, long rotation,
            PlaybackClaims claims) {
        MediaPlaylist playlist = fetched.playlist();
        String grant = signer.grant(new SegmentUrlSigner.Grant(claims.sessionId(), claims.accountId(), claims.watermarkId(),
                claims.expiresAt(), claims.network()));
        String prefix = "/live/" + channelId + "/" + rendition + "/";
        StringBuilder out = new StringBuilder(256 + playlist.segments().size() * 900);
        out.append("#EXTM3U\n#EXT-X-VERSION:").append(Math.max(3, playlist.version())).append('\n');
        for (String line : playlist.header()) {
            out.append(line).append('\n');
        }
        for (MediaPlaylist.Segment segment : playlist.segments()) {
            if (!SEGMENT_URI.matcher(segment.uri()).matches() || segment.uri().contains("..")) {
                LOG.debugf("Segment URI %s of %s/%s is not a relative path; left out", segment.uri(), channelId, rendition);
                continue;
            }
            long period = period(segment, fetched.fetchedAtMillis(), rotation);
            ContentKey key = keys.get(period);
            for (String tag : segment.tags()) {
                out.append(tag).append('\n');
            }
            String keyUri = key.hlsKeyUri() + (key.hlsKeyUri().contains("?") ? "&" : "?") + "token=" + claims.token();
            out.append("#EXT-X-KEY:METHOD=AES-128,URI=\"").append(keyUri).append("\",IV=0x")
                    .append(String.format("%032x", segment.sequence())).append('\n');
            out.append(segment.extinf()).append('\n');
            String file = segment.sequence() + ".ts";
            String signature = signer.sign(prefix + file, segment.uri(), period, grant);
            out.append(file).append("?o=").append(URLEncoder.encode(segment.uri(), StandardCharsets.UTF_8)).append("&k=")
                    .append(period).append("&a=").append(grant).append("&s=").append(signature).append('\n');
        }
        for (String line : playlist.trailer()) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private <T> Uni<T> cached(AsyncCache<String, T> cache, String key, Function<String, Uni<T>> loader) {
        CompletableFuture<T> existing = cache.getIfPresent(key);
        if (existing != null) {
            if (existing.isDone() && !existing.isCompletedExceptionally()) {
                metrics.playlistHit();
                return Uni.createFrom().item(existing.join());
            }
            metrics.coalesced();
            return Uni.createFrom().completionStage(existing);
        }
        metrics.playlistMiss();
        return Uni.createFrom().completionStage(() -> cache.get(key, (k, executor) -> loader.apply(k).subscribeAsCompletionStage()));
    }

    /** Renditions of a channel's multivariant playlist (for probes and the detector). */
    public List<String> renditions(String masterText) {
        return new ArrayList<>(MasterPlaylist.renditions(masterText));
    }
}
