package dev.palisade.billing.api;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.billing.api.BillingViews.InvoiceView;
import dev.palisade.billing.domain.InvoiceService;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The signed-in account's invoices; someone else's answers 404, exactly like a missing one. */
@Path("/api/v1/invoices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("subscriber")
public class InvoiceResource {

    private final InvoiceService invoices;

    @Inject
    JsonWebToken jwt;

    InvoiceResource(InvoiceService invoices) {
        this.invoices = invoices;
    }

    @GET
    @WithSession
    @Operation(summary = "My invoices, newest first (without lines)")
    public Uni<List<InvoiceView>> list() {
        return invoices.list(jwt.getSubject()).map(list -> list.stream().map(i -> InvoiceView.of(i, null)).toList());
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One of my invoices with its lines")
    public Uni<InvoiceView> get(@PathParam("id") UUID id) {
        return invoices.get(jwt.getSubject(), id).map(found -> InvoiceView.of(found.invoice(), found.lines()));
    }
}
