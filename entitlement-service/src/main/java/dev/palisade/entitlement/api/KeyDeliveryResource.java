package dev.palisade.entitlement.api;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.client.DrmVendorClient;
import dev.palisade.entitlement.domain.ContentKeyService;
import dev.palisade.entitlement.domain.KeyDelivery;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Content keys for players. Each call needs the playback token of a running session for that channel, in the query
 * parameter {@code token} (what HLS players can send: the gateway writes it into the EXT-X-KEY URI) or the header
 * {@code X-Playback-Token} (EME apps). Nothing here may be cached by intermediaries.
 */
@Path("/api/v1")
public class KeyDeliveryResource {

    public record ClearKeyRequest(@NotEmpty @Size(max = 16) List<@NotNull String> kids, String type) {
    }

    public record ClearKeyJwk(String kty, String kid, String k) {
    }

    public record ClearKeyResponse(List<ClearKeyJwk> keys, String type) {
    }

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyDelivery delivery;
    private final DrmVendorClient drm;

    @Context
    HttpServerRequest request;

    KeyDeliveryResource(KeyDelivery delivery, DrmVendorClient drm) {
        this.delivery = delivery;
        this.drm = drm;
    }

    @GET
    @Path("/keys/hls/{channel}/{kid}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "HLS AES-128 key", description = "The 16 raw bytes of a channel's content key, for the EXT-X-KEY URI.")
    public Uni<Response> hlsKey(@PathParam("channel") String channel, @PathParam("kid") String kid, @QueryParam("token") String token,
            @HeaderParam("X-Playback-Token") String headerToken) {
        return delivery.hlsKey(token(token, headerToken), channel, kid, clientIp())
                .map(key -> noStore(Response.ok(key.key(), MediaType.APPLICATION_OCTET_STREAM_TYPE)).build());
    }

    @POST
    @Path("/keys/clearkey/{channel}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "W3C EME Clear Key licence",
            description = "Body {\"kids\":[base64url key ids],\"type\":\"temporary\"}; answers the keys as a JWK set.")
    public Uni<Response> clearKey(@PathParam("channel") String channel, @QueryParam("token") String token,
            @HeaderParam("X-Playback-Token") String headerToken, @Valid @NotNull ClearKeyRequest body) {
        if (body.type() != null && !"temporary".equals(body.type())) {
            throw EntitlementProblems.invalid("type", "must be 'temporary' (persistent licences are not issued for live channels)");
        }
        List<UUID> kids = new ArrayList<>();
        for (String kid : body.kids()) {
            kids.add(kidFromBase64Url(kid));
        }
        return delivery.clearKeys(token(token, headerToken), channel, kids, clientIp()).map(keys -> noStore(Response.ok(
                new ClearKeyResponse(keys.stream().map(k -> new ClearKeyJwk("oct", B64URL.encodeToString(uuidBytes(k.kid())),
                        B64URL.encodeToString(k.key()))).toList(), "temporary"), MediaType.APPLICATION_JSON_TYPE)).build());
    }

    @POST
    @Path("/licence/{vendor}/{channel}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "DRM licence proxy",
            description = "Forwards the CDM's licence challenge to the DRM vendor with a signed entitlement message and relays the answer.")
    public Uni<Response> licence(@PathParam("vendor") String vendor, @PathParam("channel") String channel, @QueryParam("token") String token,
            @HeaderParam("X-Playback-Token") String headerToken, @HeaderParam("Content-Type") String contentType, byte[] challenge) {
        if (!drm.knows(vendor)) {
            throw EntitlementProblems.notFound("DRM vendor " + vendor);
        }
        if (challenge == null || challenge.length == 0) {
            throw EntitlementProblems.invalid("body", "must be the licence challenge from the CDM");
        }
        if (challenge.length > drm.maxChallengeBytes(vendor)) {
            throw EntitlementProblems.invalid("body", "is larger than a licence challenge can be (" + drm.maxChallengeBytes(vendor) + " bytes)");
        }
        return delivery.licenceGrant(token(token, headerToken), channel, clientIp()).chain(grant -> {
            KeyDelivery.Authorised auth = grant.authorised();
            return drm.forward(vendor, challenge, contentType, new DrmVendorClient.Grant(auth.playback().accountId().toString(),
                    auth.playback().sessionId().toString(), channel, auth.entitlement().maxStreams), grant.keys());
        }).map(answer -> noStore(Response.status(answer.status()).entity(answer.body()).type(answer.contentType())).build())
                .onFailure(DrmVendorClient.VendorUnavailable.class).transform(e -> EntitlementProblems.of(
                        ((DrmVendorClient.VendorUnavailable) e).timeout() ? Response.Status.GATEWAY_TIMEOUT : Response.Status.BAD_GATEWAY,
                        "drm-vendor-unavailable", "DRM licence service unavailable", e.getMessage() + " Try again in a moment."));
    }

    static UUID kidFromBase64Url(String kid) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(kid.replace('+', '-').replace('/', '_').replace("=", ""));
            if (bytes.length != 16) {
                throw new IllegalArgumentException();
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            return new UUID(b.getLong(), b.getLong());
        } catch (IllegalArgumentException e) {
            throw EntitlementProblems.invalid("kids", "must be base64url-encoded 16-byte key ids, got '" + kid + "'");
        }
    }

    static byte[] uuidBytes(UUID id) {
        return java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    private static String token(String query, String header) {
        return query != null && !query.isBlank() ? query : header;
    }

    private String clientIp() {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    static Response.ResponseBuilder noStore(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store, private").header("Pragma", "no-cache");
    }

}
