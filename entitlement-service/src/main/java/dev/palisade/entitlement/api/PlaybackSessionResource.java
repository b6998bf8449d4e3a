package dev.palisade.entitlement.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.config.PlaybackConfig;
import dev.palisade.entitlement.domain.PlaybackSession;
import dev.palisade.entitlement.domain.PlaybackSessionService;
import dev.palisade.entitlement.security.PlaybackTokenIssuer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Playback sessions of the signed-in subscriber: start, heartbeat, stop, list. */
@Path("/api/v1/playback/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("**")
public class PlaybackSessionResource {

    public record StartRequest(@NotBlank @Size(max = 63) String channelId, @Size(max = 128) String deviceId) {
    }

    /** A session with a fresh playback token and the URL a player opens with it. */
    public record SessionView(String sessionId, String channelId, String deviceId, OffsetDateTime startedAt, OffsetDateTime expiresAt,
            long heartbeatIntervalSeconds, String playbackToken, java.time.Instant playbackTokenExpiresAt, String playbackUrl) {
    }

    /** A running session as listed (no token: tokens come from start and heartbeat only). */
    public record SessionSummary(String sessionId, String channelId, String deviceId, OffsetDateTime startedAt, OffsetDateTime expiresAt) {
    }

    private final PlaybackSessionService playback;
    private final PlaybackConfig config;
    private final PlaybackTokenIssuer tokens;

    @Inject
    JsonWebToken jwt;

    @Inject
    HttpServerRequest request;

    PlaybackSessionResource(PlaybackSessionService playback, PlaybackConfig config, PlaybackTokenIssuer tokens) {
        this.playback = playback;
        this.config = config;
        this.tokens = tokens;
    }

    @POST
    @Operation(summary = "Start watching a channel",
            description = "403 when not entitled, 409 too-many-streams over the plan's limit (policy refuse); with policy"
                    + " evict_oldest the oldest stream ends instead.")
    public Uni<Response> start(@Valid @NotNull StartRequest body) {
        String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return playback.start(new PlaybackSessionService.Viewer(account(), body.deviceId(), ip), body.channelId())
                .map(s -> Response.status(Response.Status.CREATED).entity(view(s)).build());
    }

    @POST
    @Path("/{id}/heartbeat")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Keep a session alive", description = "410 when it has ended (expired, evicted, revoked).")
    public Uni<SessionView> heartbeat(@PathParam("id") String id) {
        return playback.heartbeat(account(), uuid(id)).map(this::view);
    }

    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Stop watching")
    public Uni<Response> stop(@PathParam("id") String id) {
        return playback.stop(account(), uuid(id)).map(ignored -> Response.noContent().build());
    }

    @GET
    @Operation(summary = "My running sessions")
    public Uni<List<SessionSummary>> live() {
        return playback.live(account()).map(list -> list.stream()
                .map(s -> new SessionSummary(s.id.toString(), s.channelId, s.deviceId, s.startedAt, s.expiresAt)).toList());
    }

    private SessionView view(PlaybackSession s) {
        PlaybackTokenIssuer.PlaybackToken token = tokens.issue(s);
        String url = tokens.playbackUrl(token, s);
        return new SessionView(s.id.toString(), s.channelId, s.deviceId, s.startedAt, s.expiresAt, config.heartbeatInterval().toSeconds(),
                token.token(), token.expiresAt(), url);
    }

    private UUID account() {
        return AccountIds.of(jwt);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw EntitlementProblems.notFound("Playback session " + id);
        }
    }
}
