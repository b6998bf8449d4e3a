package dev.palisade.billing.api;

import java.util.Currency;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.billing.api.BillingViews.PlanView;
import dev.palisade.billing.domain.BillingInterval;
import dev.palisade.billing.domain.Plan;
import dev.palisade.billing.domain.PlanService;
import dev.palisade.billing.domain.StreamLimitPolicy;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** The plan catalogue: anyone may read what is on sale; operators (with a second factor) manage it. */
@Path("/api/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlanResource {

    /** A plan as operators define it. Price in minor units (cents), currency ISO 4217. */
    public record PlanRequest(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,63}") String code,
            @NotBlank @Size(max = 120) String name,
            @NotNull @PositiveOrZero Long priceMinor,
            @NotNull @Pattern(regexp = "[A-Z]{3}") String currency,
            @NotNull BillingInterval billingInterval,
            @Min(1) @Max(36) Integer intervalCount,
            @Min(0) @Max(365) Integer trialDays,
            @NotNull @Size(max = 100) List<@NotBlank @Size(max = 64) String> channelPackages,
            @NotNull @Min(1) @Max(20) Integer maxStreams,
            @NotNull StreamLimitPolicy streamLimitPolicy) {

        PlanService.PlanSpec toSpec() {
            try {
                Currency.getInstance(currency);
            } catch (IllegalArgumentException e) {
                throw BillingProblems.invalidField("currency", "is not an ISO 4217 currency code");
            }
            return new PlanService.PlanSpec(code, name, priceMinor, currency, billingInterval,
                    intervalCount == null ? 1 : intervalCount, trialDays == null ? 0 : trialDays, channelPackages,
                    maxStreams, streamLimitPolicy);
        }
    }

    private final PlanService plans;
    private final IdempotentRequests idempotency;

    @Inject
    JsonWebToken jwt;

    PlanResource(PlanService plans, IdempotentRequests idempotency) {
        this.plans = plans;
        this.idempotency = idempotency;
    }

    @GET
    @PermitAll
    @WithSession
    @Operation(summary = "Plans on sale")
    public Uni<List<PlanView>> list() {
        return plans.listOnSale().map(list -> list.stream().map(this::view).toList());
    }

    @GET
    @Path("/{id}")
    @PermitAll
    @WithSession
    @Operation(summary = "One plan")
    public Uni<PlanView> get(@PathParam("id") UUID id) {
        return plans.get(id).map(this::view);
    }

    @POST
    @RolesAllowed("operator")
    @WithTransaction
    @Operation(summary = "Create a plan", description = "Operators with aal2; needs an Idempotency-Key.")
    public Uni<Response> create(@HeaderParam(IdempotentRequests.HEADER) String key, @Valid @NotNull PlanRequest body) {
        requireAal2();
        return idempotency.once(jwt.getSubject(), key, "POST", "/api/v1/plans", body,
                () -> plans.create(body.toSpec()).map(plan -> new IdempotentRequests.Reply(201, view(plan))));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("operator")
    @WithTransaction
    @Operation(summary = "Change a plan", description = "New terms apply to subscriptions from their next renewal.")
    public Uni<PlanView> update(@PathParam("id") UUID id, @Valid @NotNull PlanRequest body) {
        requireAal2();
        return plans.update(id, body.toSpec()).map(this::view);
    }

    @POST
    @Path("/{id}/withdraw")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("operator")
    @WithTransaction
    @Operation(summary = "Take a plan off sale", description = "Its subscribers keep it.")
    public Uni<Response> withdraw(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id) {
        requireAal2();
        return idempotency.once(jwt.getSubject(), key, "POST", "/api/v1/plans/" + id + "/withdraw", null,
                () -> plans.withdraw(id).map(plan -> new IdempotentRequests.Reply(200, view(plan))));
    }

    private PlanView view(Plan plan) {
        return PlanView.of(plan, plans.packages(plan));
    }

    private void requireAal2() {
        if (!"aal2".equals(jwt.getClaim("acr"))) {
            throw BillingProblems.stepUpRequired();
        }
    }
}
