package dev.palisade.entitlement.api;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.domain.PlaybackSessionService;
import dev.palisade.entitlement.repository.PlaybackSessionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Operators look at an account's running playback sessions and end one (published as {@code playback.revoked}). */
@Path("/api/v1/admin/playback-sessions")
@RolesAllowed("operator")
@Produces(MediaType.APPLICATION_JSON)
public class PlaybackAdminResource {

    public record SessionView(String sessionId, String accountId, String channelId, String deviceId, String clientIp, long watermarkId,
            OffsetDateTime startedAt, OffsetDateTime expiresAt) {
    }

    private final PlaybackSessionRepository sessions;
    private final PlaybackSessionService playback;

    PlaybackAdminResource(PlaybackSessionRepository sessions, PlaybackSessionService playback) {
        this.sessions = sessions;
        this.playback = playback;
    }

    @GET
    @WithSession
    @Operation(summary = "Running sessions of an account")
    public Uni<List<SessionView>> ofAccount(@QueryParam("accountId") String accountId) {
        UUID account = uuid(accountId, "Account");
        return sessions.live(account, OffsetDateTime.now(ZoneOffset.UTC)).map(list -> list.stream()
                .map(s -> new SessionView(s.id.toString(), s.accountId.toString(), s.channelId, s.deviceId, s.clientIp, s.watermarkId,
                        s.startedAt, s.expiresAt))
                .toList());
    }

    @DELETE
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @WithTransaction
    @Operation(summary = "End a playback session", description = "Gateways refuse it within seconds (playback.revoked).")
    public Uni<Response> end(@PathParam("id") String id, @QueryParam("reason") @Size(max = 60) String reason) {
        UUID sessionId = uuid(id, "Playback session");
        return sessions.findById(sessionId).chain(s -> {
            if (s == null) {
                throw EntitlementProblems.notFound("Playback session " + id);
            }
            if (s.endedAt != null) {
                return Uni.createFrom().voidItem();
            }
            return playback.endOne(s, reason == null || reason.isBlank() ? "operator" : "operator:" + reason.strip());
        }).map(ignored -> Response.noContent().build());
    }

    private static UUID uuid(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw EntitlementProblems.notFound(what + " " + value);
        }
    }
}
