package dev.palisade.gateway.api;

import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.gateway.client.EntitlementClient;
import dev.palisade.gateway.config.GatewayConfig;
import dev.palisade.gateway.domain.ChannelOrigins;
import dev.palisade.gateway.domain.Cmcd;
import dev.palisade.gateway.domain.GatewayMetrics;
import dev.palisade.gateway.domain.OriginRouter;
import dev.palisade.gateway.domain.PlaybackSessions;
import dev.palisade.gateway.domain.PlaylistService;
import dev.palisade.gateway.domain.QoeAggregator;
import dev.palisade.gateway.domain.RateLimiter;
import dev.palisade.gateway.domain.RestreamMonitor;
import dev.palisade.gateway.domain.SegmentService;
import dev.palisade.gateway.domain.Watermarking;
import dev.palisade.gateway.security.ClientNetwork;
import dev.palisade.gateway.security.PlaybackClaims;
import dev.palisade.gateway.security.PlaybackTokenVerifier;
import dev.palisade.gateway.security.SegmentUrlSigner;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * What players talk to. {@code /live/<channel>/index.m3u8?token=…} (or {@code Authorization: Bearer}) answers the
 * multivariant playlist; its rendition URIs {@code <rendition>/<name>.m3u8?token=…} the media playlists; their segment
 * URIs {@code <sequence>.ts?o=&k=&a=&s=} the AES-128 encrypted A/B segment variant of the session, authorised by the
 * gateway's signature alone (no token lookup on the hot path). See docs/stream-gateway.md.
 */
@Path("/live/{channel}")
public class LiveResource {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Pattern PLAYLIST = Pattern.compile("^[A-Za-z0-9_.-]{1,64}\\.m3u8$");
    private static final Pattern SEGMENT = Pattern.compile("^([0-9]{1,18})\\.ts$");
    private static final String HLS = "application/vnd.apple.mpegurl";

    private final PlaybackTokenVerifier tokens;
    private final SegmentUrlSigner signer;
    private final PlaybackSessions sessions;
    private final EntitlementClient entitlement;
    private final OriginRouter router;
    private final PlaylistService playlists;
    private final SegmentService segments;
    private final Watermarking watermarking;
    private final RateLimiter limiter;
    private final RestreamMonitor restream;
    private final QoeAggregator qoe;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final Clock clock = Clock.systemUTC();

    LiveResource(PlaybackTokenVerifier tokens, SegmentUrlSigner signer, PlaybackSessions sessions, EntitlementClient entitlement,
            OriginRouter router, PlaylistService playlists, SegmentService segments, Watermarking watermarking, RateLimiter limiter,
            RestreamMonitor restream, QoeAggregator qoe, GatewayMetrics metrics, GatewayConfig config) {
        this.tokens = tokens;
        this.signer = signer;
        this.sessions = sessions;
        this.entitlement = entitlement;
        this.router = router;
        this.playlists = playlists;
        this.segments = segments;
        this.watermarking = watermarking;
        this.limiter = limiter;
        this.restream = restream;
        this.qoe = qoe;
        this.metrics = metrics;
        this.config = config;
    }

    @GET
    @Path("index.m3u8")
    @Operation(summary = "Multivariant playlist for a player", description = "Needs the playback token (?token= or Bearer).")
    public Uni<Response> master(@PathParam("channel") String channel, @QueryParam("token") String token,
            @HeaderParam("Authorization") String authorization, @QueryParam("CMCD") String cmcd, @Context HttpServerRequest request) {
        String ip = clientIp(request);
        return refusalsCounted(channel, authorize(channel, token, authorization, ip)
                .invoke(claims -> qoe.request(channel, claims.sessionId(), cmcd(cmcd, request), false))
                .chain(claims -> entitlement.channel(channel)
                        .chain(settings -> playlists.master(router.channel(settings), claims)))
                .map(body -> playlist(body)));
    }

    @GET
    @Path("{rendition}/{file}")
    @Operation(summary = "Media playlist (…/<name>.m3u8?token=) or segment (…/<sequence>.ts?o=&k=&a=&s=)")
    public Uni<Response> media(@PathParam("channel") String channel, @PathParam("rendition") String rendition,
            @PathParam("file") String file, @QueryParam("token") String token, @HeaderParam("Authorization") String authorization,
            @QueryParam("o") String object, @QueryParam("k") String period, @QueryParam("a") String grant,
            @QueryParam("s") String signature, @QueryParam("CMCD") String cmcd, @Context HttpServerRequest request) {
        if (!NAME.matcher(channel).matches() || !NAME.matcher(rendition).matches()) {
            return Uni.createFrom().failure(GatewayProblems.notFound("Rendition " + rendition));
        }
        String ip = clientIp(request);
        var segment = SEGMENT.matcher(file);
        if (segment.matches()) {
            long sequence = Long.parseLong(segment.group(1));
            Map<String, String> data = cmcd(cmcd, request);
            return refusalsCounted(channel, Uni.createFrom().deferred(() -> segment(channel, rendition, sequence, object, period, grant,
                    signature, ip, data)));
        }
        if (!PLAYLIST.matcher(file).matches()) {
            return Uni.createFrom().failure(GatewayProblems.notFound("Object " + file));
        }
        return refusalsCounted(channel, authorize(channel, token, authorization, ip)
                .invoke(claims -> qoe.request(channel, claims.sessionId(), cmcd(cmcd, request), false))
                .chain(claims -> entitlement.channel(channel)
                        .chain(settings -> playlists.media(router.channel(settings), settings, rendition, file, claims)))
                .map(body -> playlist(body)));
    }

    private Uni<Response> segment(String channel, String rendition, long sequence, String object, String periodText, String grantText,
            String signature, String ip, Map<String, String> cmcd) {
        long period;
        try {
            period = Long.parseLong(periodText);
        } catch (NumberFormatException | NullPointerException e) {
            return Uni.createFrom().failure(GatewayProblems.segmentUrlInvalid());
        }
        SegmentUrlSigner.Grant grant = signer.verify("/live/" + channel + "/" + rendition + "/" + sequence + ".ts", object, period,
                grantText, signature);
        if (grant == null) {
            return Uni.createFrom().failure(GatewayProblems.segmentUrlInvalid());
        }
        if (clock.millis() / 1000 > grant.expiresAt() + config.clockSkew().toSeconds()) {
            return Uni.createFrom().failure(GatewayProblems.segmentUrlExpired());
        }
        if (sessions.isRevoked(grant.sessionId())) {
            return Uni.createFrom().failure(GatewayProblems.sessionRevoked());
        }
        if (!ClientNetwork.contains(grant.network(), ip)) {
            return Uni.createFrom().failure(GatewayProblems.wrongNetwork());
        }
        limiter.check(grant.sessionId(), ip);
        qoe.request(channel, grant.sessionId(), cmcd, true);
        String variant = watermarking.variant(grant.watermarkId(), sequence);
        return entitlement.channel(channel).chain(settings -> {
            ChannelOrigins origins = router.channel(settings);
            restream.segment(grant.sessionId(), grant.accountId(), channel, rendition, origins.targetDuration());
            return entitlement.key(channel, period)
                    .chain(key -> segments.encrypted(origins, rendition, sequence, object, variant, key));
        }).map(delivered -> Response.ok(delivered.bytes(), "video/mp2t").header("Cache-Control", "private, max-age=60").build());
    }

    private Uni<PlaybackClaims> authorize(String channel, String token, String authorization, String ip) {
        String presented = token;
        if ((presented == null || presented.isBlank()) && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        return tokens.verify(presented).map(claims -> {
            if (!claims.channelId().equals(channel)) {
                throw GatewayProblems.wrongChannel(channel);
            }
            if (sessions.isRevoked(claims.sessionId())) {
                throw GatewayProblems.sessionRevoked();
            }
            if (!ClientNetwork.contains(claims.network(), ip)) {
                throw GatewayProblems.wrongNetwork();
            }
            limiter.check(claims.sessionId(), ip);
            sessions.started(new PlaybackSessions.SessionInfo(claims.sessionId(), claims.accountId(), claims.channelId(),
                    claims.watermarkId(), clock.instant()));
            return claims;
        });
    }

    private Uni<Response> refusalsCounted(String channel, Uni<Response> uni) {
        return uni.onFailure(HttpProblem.class).invoke(e -> {
            HttpProblem problem = (HttpProblem) e;
            Object reason = problem.getParameters().get("reason");
            metrics.refused(reason == null ? String.valueOf(problem.getStatusCode()) : reason.toString());
            qoe.error(channel);
        });
    }

    private static Response playlist(String body) {
        return Response.ok(body, HLS).header("Cache-Control", "no-store").build();
    }

    private static Map<String, String> cmcd(String query, HttpServerRequest request) {
        if (query == null && request.getHeader("CMCD-Request") == null && request.getHeader("CMCD-Object") == null
                && request.getHeader("CMCD-Status") == null && request.getHeader("CMCD-Session") == null) {
            return Map.of();
        }
        return Cmcd.parse(query, request.getHeader("CMCD-Request"), request.getHeader("CMCD-Object"),
                request.getHeader("CMCD-Status"), request.getHeader("CMCD-Session"));
    }

    private String clientIp(HttpServerRequest request) {
        if (config.trustForwardedFor()) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                int comma = forwarded.indexOf(',');
                return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
            }
        }
        return request.remoteAddress() == null ? null : request.remoteAddress().host();
    }
}
