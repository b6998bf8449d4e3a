package dev.palisade.entitlement.api;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.domain.ContentKeyService;
import dev.palisade.entitlement.repository.OutboxEventRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Operator views of the service's own plumbing. */
@Path("/api/v1/ops")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("operator")
public class OperationsResource {

    /** Backlog of the transactional outbox: events committed but not yet acknowledged by Kafka. */
    public record OutboxStatus(long pendingEvents, Long oldestPendingSeconds) {
    }

    public record RewrapResult(long rewrapped, ContentKeyService.WrapStatus status) {
    }

    private final OutboxEventRepository outbox;
    private final ContentKeyService keys;

    OperationsResource(OutboxEventRepository outbox, ContentKeyService keys) {
        this.outbox = outbox;
        this.keys = keys;
    }

    @GET
    @Path("/outbox")
    @WithSession
    @Operation(summary = "Outbox backlog", description = "How many events wait to be relayed to Kafka and how old the oldest is.")
    public Uni<OutboxStatus> outbox() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return outbox.countPending().chain(count -> outbox.oldestPendingAge(now)
                .map(age -> new OutboxStatus(count, age.map(d -> d.toSeconds()).orElse(null))));
    }

    @GET
    @Path("/content-keys")
    @Operation(summary = "Content keys per key-encryption key", description = "How many keys each KEK wraps; after a KEK change the old one drains to zero.")
    public Uni<ContentKeyService.WrapStatus> status() {
        return keys.status();
    }

    @POST
    @Path("/content-keys/rewrap")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Re-wrap content keys under the active KEK now", description = "Also runs in the background every minute.")
    public Uni<RewrapResult> rewrap() {
        return keys.rewrapAll().chain(n -> keys.status().map(s -> new RewrapResult(n, s)));
    }
}
