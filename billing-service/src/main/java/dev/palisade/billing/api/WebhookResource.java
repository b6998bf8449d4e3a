package dev.palisade.billing.api;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.billing.domain.PaymentGateway;
import dev.palisade.billing.domain.WebhookService;
import io.smallrye.mutiny.Uni;

/**
 * Where payment gateways post their events. No token: the body's HMAC signature ({@code Palisade-Signature} or
 * {@code Stripe-Signature}) is the authentication. Anything unsigned, stale or altered is refused with 400 and changes
 * nothing; a redelivered event is acknowledged and ignored.
 */
@Path("/api/v1/webhooks")
@PermitAll
public class WebhookResource {

    public record Receipt(boolean received, String result) {
    }

    private final WebhookService webhooks;

    WebhookResource(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Path("/{gateway}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a signed gateway event")
    public Uni<Receipt> receive(@PathParam("gateway") String gateway, @HeaderParam("Palisade-Signature") String palisadeSignature,
            @HeaderParam("Stripe-Signature") String stripeSignature, String rawBody) {
        String signature = palisadeSignature != null ? palisadeSignature : stripeSignature;
        PaymentGateway verified = webhooks.verify(gateway, signature, rawBody);
        return webhooks.process(verified, rawBody).map(result -> new Receipt(true, result.name().toLowerCase()));
    }
}
