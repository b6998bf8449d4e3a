package dev.palisade.billing.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.billing.api.BillingViews.PaymentMethodView;
import dev.palisade.billing.api.BillingViews.PlanChangePreviewView;
import dev.palisade.billing.api.BillingViews.SubscriptionView;
import dev.palisade.billing.api.BillingViews.TransitionView;
import dev.palisade.billing.domain.PaymentStatus;
import dev.palisade.billing.domain.Subscription;
import dev.palisade.billing.domain.SubscriptionService;
import dev.palisade.billing.domain.SubscriptionStatus;
import dev.palisade.billing.repository.SubscriptionTransitionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * The signed-in account's subscriptions. Someone else's subscription answers 404, exactly like a missing one. Every
 * POST needs an {@code Idempotency-Key}; changing the plan or the card needs a second factor (acr aal2).
 */
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("subscriber")
public class SubscriptionResource {

    /** Subscribe to {@code planId}, paying with a card token from the gateway (never card data). */
    public record SubscribeRequest(@NotNull UUID planId, @NotBlank @Size(max = 255) String paymentMethodToken) {
    }

    public record PlanChangeRequest(@NotNull UUID planId) {
    }

    /** {@code atPeriodEnd} (default true): keep watching until the paid period ends. */
    public record CancelRequest(Boolean atPeriodEnd) {
    }

    public record PaymentMethodRequest(@NotBlank @Size(max = 255) String paymentMethodToken) {
    }

    private static final String PATH = "/api/v1/subscriptions";

    private final SubscriptionService subscriptions;
    private final SubscriptionTransitionRepository transitions;
    private final IdempotentRequests idempotency;

    @Inject
    JsonWebToken jwt;

    SubscriptionResource(SubscriptionService subscriptions, SubscriptionTransitionRepository transitions,
            IdempotentRequests idempotency) {
        this.subscriptions = subscriptions;
        this.transitions = transitions;
        this.idempotency = idempotency;
    }

    @POST
    @WithTransaction
    @Operation(summary = "Subscribe", description = "Charges the first period (or starts the trial); active once the gateway confirms.")
    public Uni<Response> subscribe(@HeaderParam(IdempotentRequests.HEADER) String key, @Valid @NotNull SubscribeRequest body) {
        return idempotency.once(account(), key, "POST", PATH, body,
                () -> subscriptions.subscribe(account(), body.planId(), body.paymentMethodToken())
                        .map(outcome -> declinedAtOnce(outcome) ? new IdempotentRequests.Reply(402, declined(outcome))
                                : new IdempotentRequests.Reply(201, SubscriptionView.of(outcome))));
    }

    /** The gateway refused the first payment in its answer (not later by webhook): the subscription never started. */
    private static boolean declinedAtOnce(SubscriptionService.Outcome outcome) {
        return outcome.payment() != null && outcome.payment().status == PaymentStatus.FAILED
                && outcome.subscription().status == SubscriptionStatus.CANCELED;
    }

    /**
     * A 402 problem that stays on record: the canceled subscription and its failed payment are history (the gateway's
     * later webhook about the payment finds it), and a retry with the same Idempotency-Key gets this same answer.
     */
    private static Map<String, Object> declined(SubscriptionService.Outcome outcome) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", BillingProblems.BASE + "payment-declined");
        problem.put("title", "Payment declined");
        problem.put("status", 402);
        problem.put("detail", "The payment gateway declined the first payment; the subscription was not started. "
                + "Subscribe again with another payment method.");
        problem.put("code", outcome.payment().failureCode);
        problem.put("subscriptionId", outcome.subscription().id);
        problem.put("paymentId", outcome.payment().id);
        return problem;
    }

    @GET
    @WithSession
    @Operation(summary = "My subscriptions", description = "Newest first, canceled ones included.")
    public Uni<List<SubscriptionView>> list() {
        return subscriptions.list(account()).chain(list -> {
            Uni<List<SubscriptionView>> chain = Uni.createFrom().item(new ArrayList<>());
            for (Subscription s : list) {
                chain = chain.chain(views -> view(s).map(v -> {
                    views.add(v);
                    return views;
                }));
            }
            return chain;
        });
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One of my subscriptions")
    public Uni<SubscriptionView> get(@PathParam("id") UUID id) {
        return subscriptions.get(account(), id).chain(this::view);
    }

    @GET
    @Path("/{id}/transitions")
    @WithSession
    @Operation(summary = "Every change of one of my subscriptions, oldest first")
    public Uni<List<TransitionView>> history(@PathParam("id") UUID id) {
        return subscriptions.get(account(), id).chain(s -> transitions.history(s.id))
                .map(list -> list.stream().map(TransitionView::of).toList());
    }

    @GET
    @Path("/{id}/plan-change-preview")
    @WithSession
    @Operation(summary = "What changing to another plan would cost now", description = "Changes nothing.")
    public Uni<PlanChangePreviewView> preview(@PathParam("id") UUID id, @QueryParam("planId") UUID planId) {
        if (planId == null) {
            throw BillingProblems.invalidField("planId", "query parameter is required");
        }
        return subscriptions.previewPlanChange(account(), id, planId).map(PlanChangePreviewView::of);
    }

    @POST
    @Path("/{id}/plan-change")
    @WithTransaction
    @Operation(summary = "Change plan now", description = "Prorated; needs aal2 and an Idempotency-Key.")
    public Uni<Response> changePlan(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id,
            @Valid @NotNull PlanChangeRequest body) {
        requireAal2();
        return idempotency.once(account(), key, "POST", PATH + "/" + id + "/plan-change", body,
                () -> subscriptions.changePlan(account(), id, body.planId())
                        .map(outcome -> new IdempotentRequests.Reply(200, SubscriptionView.of(outcome))));
    }

    @POST
    @Path("/{id}/cancel")
    @WithTransaction
    @Operation(summary = "Cancel", description = "At the end of the period (default) or now.")
    public Uni<Response> cancel(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id,
            @Valid CancelRequest body) {
        boolean atPeriodEnd = body == null || body.atPeriodEnd() == null || body.atPeriodEnd();
        return idempotency.once(account(), key, "POST", PATH + "/" + id + "/cancel", new CancelRequest(atPeriodEnd),
                () -> subscriptions.cancel(account(), id, atPeriodEnd).chain(this::view)
                        .map(view -> new IdempotentRequests.Reply(200, view)));
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.WILDCARD)
    @WithTransaction
    @Operation(summary = "Take back a cancellation at period end")
    public Uni<Response> resume(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id) {
        return idempotency.once(account(), key, "POST", PATH + "/" + id + "/resume", null,
                () -> subscriptions.resume(account(), id).chain(this::view)
                        .map(view -> new IdempotentRequests.Reply(200, view)));
    }

    @GET
    @Path("/{id}/payment-method")
    @WithSession
    @Operation(summary = "The card renewals are charged to (brand and last four digits only)")
    public Uni<PaymentMethodView> paymentMethod(@PathParam("id") UUID id) {
        return subscriptions.get(account(), id).chain(subscriptions::paymentMethod).map(PaymentMethodView::of);
    }

    @POST
    @Path("/{id}/payment-method")
    @WithTransaction
    @Operation(summary = "Replace the card", description = "A new gateway token; needs aal2 and an Idempotency-Key.")
    public Uni<Response> replacePaymentMethod(@HeaderParam(IdempotentRequests.HEADER) String key, @PathParam("id") UUID id,
            @Valid @NotNull PaymentMethodRequest body) {
        requireAal2();
        return idempotency.once(account(), key, "POST", PATH + "/" + id + "/payment-method", body,
                () -> subscriptions.replacePaymentMethod(account(), id, body.paymentMethodToken())
                        .map(method -> new IdempotentRequests.Reply(200, PaymentMethodView.of(method))));
    }

    private Uni<SubscriptionView> view(Subscription subscription) {
        return subscriptions.planOf(subscription).map(plan -> SubscriptionView.of(subscription, plan, null));
    }

    private String account() {
        return jwt.getSubject();
    }

    private void requireAal2() {
        if (!"aal2".equals(jwt.getClaim("acr"))) {
            throw BillingProblems.stepUpRequired();
        }
    }
}
