package dev.palisade.gateway.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * What the gateway publishes on {@code gateway.events} ({@code origin.failover}, {@code qoe.sample},
 * {@code segment.error}, {@code restream.suspected}), keyed by channel id. The hot path only queues the event in
 * memory (bounded); a flush every 250 ms writes the queue to the transactional outbox in one transaction, from where
 * {@link OutboxRelay} sends it. Events are observations of in-memory state: a crash may lose the last quarter second.
 */
@ApplicationScoped
public class GatewayEvents {

    private static final Logger LOG = Logger.getLogger(GatewayEvents.class);
    private static final int MAX_QUEUED = 10_000;

    private record Pending(String key, String type, Object payload) {
    }

    private final Outbox outbox;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    GatewayEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Queues an event about a channel; dropped (and logged) if the queue is full. */
    public void publish(String channelId, String type, Object payload) {
        if (size.incrementAndGet() > MAX_QUEUED) {
            size.decrementAndGet();
            LOG.warnf("gateway.events queue full: %s for %s dropped", type, channelId);
            return;
        }
        queue.add(new Pending(channelId, type, payload));
    }

    @Scheduled(every = "0.25s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> flush() {
        if (queue.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < 500 && (next = queue.poll()) != null) {
            size.decrementAndGet();
            batch.add(next);
        }
        return Panache.withTransaction(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Pending p : batch) {
                chain = chain.chain(() -> outbox.enqueue(p.key(), p.type(), p.payload()).replaceWithVoid());
            }
            return chain;
        }).onFailure().invoke(e -> {
            LOG.warnf("Could not write %d gateway events to the outbox, will retry: %s", batch.size(), e.getMessage());
            for (Pending p : batch) {
                if (size.incrementAndGet() <= MAX_QUEUED) {
                    queue.add(p);
                } else {
                    size.decrementAndGet();
                }
            }
        }).onFailure().recoverWithNull();
    }
}
