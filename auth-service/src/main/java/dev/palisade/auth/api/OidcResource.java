package dev.palisade.auth.api;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.auth.config.AuthConfig;
import dev.palisade.auth.domain.ServiceClients;
import dev.palisade.auth.domain.SessionService;
import dev.palisade.auth.domain.TokenPair;
import dev.palisade.auth.security.SigningKeyRing;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The OIDC issuer surface: discovery, the JWK set (previous, current and next keys), and the OAuth 2.0 token
 * endpoint for refresh-token rotation. Token-endpoint errors use the RFC 6749 form that OAuth clients expect.
 */
@Path("/")
@PermitAll
public class OidcResource {

    private final AuthConfig config;
    private final SigningKeyRing keys;
    private final SessionService sessions;
    private final ServiceClients serviceClients;

    OidcResource(AuthConfig config, SigningKeyRing keys, SessionService sessions, ServiceClients serviceClients) {
        this.config = config;
        this.keys = keys;
        this.sessions = sessions;
        this.serviceClients = serviceClients;
    }

    @GET
    @Path(".well-known/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "OIDC discovery document")
    public Map<String, Object> discovery() {
        String issuer = config.issuer();
        return Map.of(
                "issuer", issuer,
                "jwks_uri", issuer + "/oauth2/jwks",
                "token_endpoint", issuer + "/oauth2/token",
                "grant_types_supported", List.of("refresh_token", "client_credentials"),
                "token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"),
                "response_types_supported", List.of("token"),
                "subject_types_supported", List.of("public"),
                "id_token_signing_alg_values_supported", List.of("ES256"),
                "claims_supported", List.of("sub", "sid", "groups", "amr", "acr", "aud", "iss", "iat", "exp", "jti"),
                "acr_values_supported", List.of("aal1", "aal2"));
    }

    @GET
    @Path("oauth2/jwks")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Token signing keys (JWK set)")
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(keys.jwks()).cacheControl(cache).build();
    }

    @POST
    @Path("oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "OAuth 2.0 token endpoint",
            description = "grant_type=refresh_token (the refresh token rotates on every use) or client_credentials (service clients).")
    public Uni<Response> token(@FormParam("grant_type") String grantType, @FormParam("refresh_token") String refreshToken,
            @FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret,
            @HeaderParam("Authorization") String authorization) {
        if ("client_credentials".equals(grantType)) {
            String[] basic = basicCredentials(authorization);
            String id = basic != null ? basic[0] : clientId;
            String secret = basic != null ? basic[1] : clientSecret;
            return serviceClients.token(id, secret).map(token -> token.map(t -> Response.ok(Map.of("access_token", t.token(),
                    "token_type", "Bearer", "expires_in", t.lifetime().toSeconds())).header("Cache-Control", "no-store").build())
                    .orElseGet(() -> Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                            .header("WWW-Authenticate", "Basic realm=\"palisade\"").header("Cache-Control", "no-store")
                            .entity(Map.of("error", "invalid_client", "error_description", "Unknown client or wrong secret.")).build()));
        }
        if (!"refresh_token".equals(grantType)) {
            return Uni.createFrom().item(oauthError("unsupported_grant_type", "Supported: refresh_token, client_credentials."));
        }
        if (refreshToken == null || refreshToken.isBlank()) {
            return Uni.createFrom().item(oauthError("invalid_request", "refresh_token is required."));
        }
        return sessions.refresh(refreshToken).map(result -> {
            if (result instanceof SessionService.RefreshRefused refused) {
                return oauthError("invalid_grant", refused.getMessage());
            }
            TokenPair t = (TokenPair) result;
            return Response.ok(Map.of("access_token", t.accessToken(), "token_type", "Bearer", "expires_in", t.expiresInSeconds(),
                    "refresh_token", t.refreshToken(), "session_id", t.sessionId(), "acr", t.acr()))
                    .header("Cache-Control", "no-store").build();
        });
    }

    /** client_secret_basic: {@code Basic base64(urlencoded id ":" urlencoded secret)}, or null. */
    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                    java.nio.charset.StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] { java.net.URLDecoder.decode(decoded.substring(0, colon), java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(decoded.substring(colon + 1), java.nio.charset.StandardCharsets.UTF_8) };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Response oauthError(String error, String description) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store")
                .entity(Map.of("error", error, "error_description", description)).build();
    }
}
