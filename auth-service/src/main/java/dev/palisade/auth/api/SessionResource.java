package dev.palisade.auth.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.auth.domain.SessionService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** My sessions, one per signed-in device, and ending one of them. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("**")
public class SessionResource {

    public record SessionView(String id, String deviceId, String userAgent, String ip, String acr, OffsetDateTime createdAt,
            OffsetDateTime lastSeenAt, boolean current) {
    }

    private final SessionService sessions;

    @Inject
    JsonWebToken jwt;

    SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @GET
    @WithSession
    @Operation(summary = "List my active sessions")
    public Uni<List<SessionView>> list() {
        String current = jwt.getClaim("sid");
        return sessions.active(AccountIds.of(jwt)).map(list -> list.stream()
                .map(s -> new SessionView(s.id.toString(), s.deviceId, s.userAgent, s.ip, s.acr, s.createdAt, s.lastSeenAt,
                        s.id.toString().equals(current)))
                .toList());
    }

    @DELETE
    @Path("/{id}")
    @WithTransaction
    @Operation(summary = "End one of my sessions", description = "404 for sessions that are not yours.")
    public Uni<Response> revoke(@PathParam("id") String id) {
        UUID sessionId;
        try {
            sessionId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw AuthProblems.notFound("Session " + id);
        }
        return sessions.revokeOwn(AccountIds.of(jwt), sessionId, "revoked_by_user").map(done -> {
            if (!done) {
                throw AuthProblems.notFound("Session " + id);
            }
            return Response.noContent().build();
        });
    }
}
