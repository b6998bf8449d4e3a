package dev.palisade.billing.messaging;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.palisade.billing.config.OutboxConfig;
import dev.palisade.billing.domain.OutboxEvent;
import dev.palisade.billing.repository.OutboxEventRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Relays committed outbox events to Kafka in id order, as CloudEvents in binary mode (ce_* headers), keyed by
 * entity. An event is marked published only once the broker acknowledged it; the first failure ends the batch so
 * that nothing overtakes it, and the next poll tries again. While Kafka is away events simply wait.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxEventRepository repository;
    // Field injection: Quarkus wires emitters to channels only at field injection points.
    @Inject
    @Channel("outbox")
    MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final AtomicLong pending = new AtomicLong();
    private final Counter published;
    private final Counter failures;

    OutboxRelay(OutboxEventRepository repository, OutboxConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.config = config;
        registry.gauge("palisade_outbox_pending_events", pending);
        this.published = registry.counter("palisade_outbox_published_total");
        this.failures = registry.counter("palisade_outbox_send_failures_total");
    }

    @Scheduled(every = "${palisade.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> relay() {
        return Panache.withTransaction(() -> repository.lockPending(config.batchSize()).chain(this::publishInOrder))
                .chain(() -> Panache.withSession(repository::countPending))
                .invoke(pending::set)
                .onFailure().invoke(e -> LOG.warnf("Outbox relay could not run: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Unpublished events right now (as of the last poll). */
    public long pendingEvents() {
        return pending.get();
    }

    private Uni<Void> publishInOrder(List<OutboxEvent> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (OutboxEvent event : events) {
            chain = chain.chain(() -> send(event));
        }
        // A failed send is recorded on its event and ends the batch; what was acknowledged before it still commits.
        return chain.onFailure().recoverWithNull();
    }

    private Uni<Void> send(OutboxEvent event) {
        Message<String> message = Message.of(event.payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(event.eventKey).build())
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(event.eventId.toString())
                        .withType(event.eventType)
                        .withTimestamp(event.createdAt.atZoneSameInstant(ZoneOffset.UTC))
                        .withDataContentType("application/json")
                        .withSubject(event.eventKey)
                        .build());
        return emitter.sendMessage(message)
                .invoke(() -> {
                    event.markPublished(OffsetDateTime.now(ZoneOffset.UTC));
                    published.increment();
                })
                .onFailure().invoke(e -> {
                    event.markFailed(e);
                    failures.increment();
                    LOG.debugf("Outbox event %s (%s) not sent yet: %s", event.eventId, event.eventType, e.getMessage());
                });
    }
}
