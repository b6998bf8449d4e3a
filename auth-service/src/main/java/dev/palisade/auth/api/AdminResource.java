package dev.palisade.auth.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.auth.domain.AccountAdministration;
import dev.palisade.auth.domain.ServiceClients;
import dev.palisade.auth.security.SigningKeyRing;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Operator actions on accounts, signing keys and service clients. Every call needs role operator and acr aal2. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("operator")
public class AdminResource {

    public record LockRequest(@NotBlank @Size(max = 200) String reason) {
    }

    public record SignInView(String outcome, String reason, String acr, String ip, String network, String userAgent,
            String deviceId, String country, OffsetDateTime at) {
    }

    public record NewServiceClient(@NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{2,62}") String clientId) {
    }

    private final AccountAdministration administration;
    private final SigningKeyRing keys;
    private final ServiceClients serviceClients;

    @Inject
    JsonWebToken jwt;

    AdminResource(AccountAdministration administration, SigningKeyRing keys, ServiceClients serviceClients) {
        this.administration = administration;
        this.keys = keys;
        this.serviceClients = serviceClients;
    }

    @GET
    @Path("/accounts")
    @WithSession
    @Operation(summary = "Find an account by e-mail")
    public Uni<AccountAdministration.AccountSummary> findByEmail(@QueryParam("email") @NotBlank String email) {
        requireAal2();
        return administration.findByEmail(email).map(found -> found.orElseThrow(() -> AuthProblems.notFound("An account with that e-mail")));
    }

    @GET
    @Path("/accounts/{id}")
    @WithSession
    @Operation(summary = "An account")
    public Uni<AccountAdministration.AccountSummary> get(@PathParam("id") String id) {
        requireAal2();
        return administration.find(uuid(id)).map(found -> found.orElseThrow(() -> AuthProblems.notFound("Account " + id)));
    }

    @POST
    @Path("/accounts/{id}/lock")
    @WithTransaction
    @Operation(summary = "Lock an account", description = "Permanent until unlocked; ends every session of the account.")
    public Uni<Response> lock(@PathParam("id") String id, @Valid @NotNull LockRequest body) {
        requireAal2();
        return administration.lock(uuid(id), "operator:" + jwt.getSubject() + ": " + body.reason()).map(done -> noContentOr404(done, id));
    }

    @POST
    @Path("/accounts/{id}/unlock")
    @Consumes(MediaType.WILDCARD)
    @WithTransaction
    @Operation(summary = "Unlock an account", description = "Also clears its temporary sign-in lockout.")
    public Uni<Response> unlock(@PathParam("id") String id) {
        requireAal2();
        return administration.unlock(uuid(id)).map(done -> noContentOr404(done, id));
    }

    @DELETE
    @Path("/accounts/{id}/sessions")
    @WithTransaction
    @Operation(summary = "End every session of an account")
    public Uni<Map<String, Integer>> revokeSessions(@PathParam("id") String id) {
        requireAal2();
        return administration.revokeSessions(uuid(id), "revoked_by_operator").map(n -> Map.of("revoked", n));
    }

    @GET
    @Path("/accounts/{id}/sign-ins")
    @WithSession
    @Operation(summary = "Recent sign-in attempts of an account")
    public Uni<List<SignInView>> signIns(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        requireAal2();
        return administration.recentSignIns(uuid(id), limit).map(list -> list.stream()
                .map(e -> new SignInView(e.outcome, e.reason, e.acr, e.ip, e.network, e.userAgent, e.deviceId, e.country, e.at))
                .toList());
    }

    @POST
    @Path("/signing-keys/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Rotate the token signing key now",
            description = "The published next key starts signing; the current key keeps verifying; a new next key is published.")
    public Uni<Map<String, String>> rotate() {
        requireAal2();
        return keys.rotateNow().map(kid -> Map.of("signingKeyId", kid));
    }

    @POST
    @Path("/service-clients")
    @WithTransaction
    @Operation(summary = "Register a service client", description = "Answers its secret once; it signs in with the client-credentials grant.")
    public Uni<Response> createServiceClient(@Valid @NotNull NewServiceClient body) {
        requireAal2();
        return serviceClients.create(body.clientId()).map(secret -> Response.status(Response.Status.CREATED)
                .entity(Map.of("clientId", body.clientId(), "clientSecret", secret)).header("Cache-Control", "no-store").build());
    }

    private void requireAal2() {
        if (!"aal2".equals(jwt.getClaim("acr"))) {
            throw AuthProblems.stepUpRequired();
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw AuthProblems.notFound("Account " + id);
        }
    }

    private static Response noContentOr404(boolean done, String id) {
        if (!done) {
            throw AuthProblems.notFound("Account " + id);
        }
        return Response.noContent().build();
    }
}
