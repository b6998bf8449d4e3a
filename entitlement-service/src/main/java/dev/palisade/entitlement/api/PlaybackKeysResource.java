package dev.palisade.entitlement.api;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.security.PlaybackKeyRing;

/** The public keys of playback tokens, for stream-gateway's offline verification. */
@Path("/api/v1/playback/jwks")
@PermitAll
public class PlaybackKeysResource {

    private final PlaybackKeyRing keys;

    PlaybackKeysResource(PlaybackKeyRing keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Playback-token verification keys (JWK set: previous, current, next)")
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(keys.jwks()).cacheControl(cache).build();
    }
}
