package dev.palisade.gateway.api;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.gateway.repository.OutboxEventRepository;
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

    private final OutboxEventRepository outbox;

    OperationsResource(OutboxEventRepository outbox) {
        this.outbox = outbox;
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
}
