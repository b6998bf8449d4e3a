package dev.palisade.entitlement.api;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.domain.Entitlement;
import dev.palisade.entitlement.domain.EntitlementService;
import dev.palisade.entitlement.domain.OverflowPolicy;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Operators grant (comp) and revoke entitlements by hand; subscriptions do it through billing.events. */
@Path("/api/v1/admin/entitlements/{accountId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("operator")
public class EntitlementAdminResource {

    public record GrantRequest(@Size(max = 63) String planId, @NotNull @Size(max = 100) List<String> packages,
            @Min(0) @Max(50) int maxStreams, @NotNull @Pattern(regexp = "refuse|evict_oldest") String overflowPolicy) {
    }

    public record EntitlementView(String accountId, String status, String planId, List<String> packages, int maxStreams,
            String overflowPolicy, String source, OffsetDateTime stateAt) {
        static EntitlementView of(Entitlement e) {
            return new EntitlementView(e.accountId.toString(), e.status, e.planId, e.packageIds().stream().sorted().toList(),
                    e.maxStreams, e.overflowPolicy, e.source, e.stateAt);
        }
    }

    private final EntitlementService entitlements;

    EntitlementAdminResource(EntitlementService entitlements) {
        this.entitlements = entitlements;
    }

    @PUT
    @WithTransaction
    @Operation(summary = "Grant an entitlement by hand")
    public Uni<EntitlementView> grant(@PathParam("accountId") String accountId, @Valid @NotNull GrantRequest body) {
        UUID id = uuid(accountId);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return entitlements.grant(id, new EntitlementService.Grant(body.planId(), body.packages(), body.maxStreams(),
                OverflowPolicy.fromWire(body.overflowPolicy())), "operator", now).chain(() -> entitlements.find(id))
                .map(EntitlementView::of);
    }

    @DELETE
    @Consumes(MediaType.WILDCARD)
    @WithTransaction
    @Operation(summary = "Revoke an entitlement", description = "Ends every playback session of the account.")
    public Uni<Response> revoke(@PathParam("accountId") String accountId) {
        return entitlements.revoke(uuid(accountId), "operator", "operator", OffsetDateTime.now(ZoneOffset.UTC))
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @WithSession
    @Operation(summary = "An account's entitlement")
    public Uni<EntitlementView> get(@PathParam("accountId") String accountId) {
        return entitlements.find(uuid(accountId)).map(e -> {
            if (e == null) {
                throw EntitlementProblems.notFound("An entitlement of account " + accountId);
            }
            return EntitlementView.of(e);
        });
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw EntitlementProblems.notFound("Account " + id);
        }
    }
}
