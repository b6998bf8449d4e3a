package dev.palisade.auth.api;

import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.palisade.auth.domain.SessionService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * At auth-service itself an access token counts only while its session lives: after logout, a lock or a revocation,
 * the token is refused here at once (other services accept it until it expires, at most the access-token lifetime).
 */
public class EndedSessionFilter {

    private final CurrentIdentityAssociation identities;
    private final SessionService sessions;

    EndedSessionFilter(CurrentIdentityAssociation identities, SessionService sessions) {
        this.identities = identities;
        this.sessions = sessions;
    }

    @ServerRequestFilter
    public Uni<Response> refuseEndedSessions() {
        return identities.getDeferredIdentity().chain(identity -> {
            if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getClaim("sid") == null) {
                return Uni.createFrom().nullItem();
            }
            UUID sid;
            try {
                sid = UUID.fromString(jwt.<String> getClaim("sid"));
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().nullItem();
            }
            return Panache.withSession(() -> sessions.isActive(sid)).map(active -> active ? null
                    : Response.status(Response.Status.UNAUTHORIZED).type("application/problem+json")
                            .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                            .entity(Map.of("type", "https://palisade.dev/problems/session-ended", "title", "Session ended",
                                    "status", 401, "detail", "This sign-in has ended (signed out, revoked or locked). Sign in again."))
                            .build());
        });
    }
}
