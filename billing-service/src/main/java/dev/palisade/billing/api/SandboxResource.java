package dev.palisade.billing.api;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.billing.client.SandboxPaymentGateway;
import dev.palisade.billing.config.BillingConfig;

/**
 * Stands in for the customer's bank page of the sandbox gateway: posting to a charge's next-action URL completes its
 * 3-D Secure step, and the sandbox then sends the success webhook. Absent (404) unless the sandbox is the gateway.
 */
@Path("/api/v1/sandbox/payments")
@PermitAll
public class SandboxResource {

    private final SandboxPaymentGateway sandbox;
    private final BillingConfig config;

    SandboxResource(SandboxPaymentGateway sandbox, BillingConfig config) {
        this.sandbox = sandbox;
        this.config = config;
    }

    @POST
    @Path("/{gatewayPaymentId}/confirm")
    @Operation(summary = "Sandbox only: complete the customer action of a charge")
    public Response confirm(@PathParam("gatewayPaymentId") String gatewayPaymentId) {
        if (!SandboxPaymentGateway.NAME.equals(config.gateway()) || !sandbox.completeAction(gatewayPaymentId)) {
            throw BillingProblems.notFound("A sandbox charge waiting for action");
        }
        return Response.accepted().build();
    }
}
