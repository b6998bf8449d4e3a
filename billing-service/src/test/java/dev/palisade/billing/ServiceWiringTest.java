package dev.palisade.billing;

import java.util.Map;

import jakarta.inject.Inject;

import dev.palisade.billing.domain.OutboxEvent;
import dev.palisade.billing.messaging.Outbox;
import dev.palisade.billing.repository.OutboxEventRepository;
import dev.palisade.testsupport.PalisadeTestResource;
import dev.palisade.testsupport.ReactiveTransactions;
import dev.palisade.testsupport.contract.ServiceWiringContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Real PostgreSQL and Kafka: outbox round trip, readiness that follows them, delivery after a Kafka outage. */
@QuarkusTest
@QuarkusTestResource(value = PalisadeTestResource.class, initArgs = { @ResourceArg(name = "database", value = "billing") })
class ServiceWiringTest extends ServiceWiringContract {

    @Inject
    Outbox outbox;

    @Inject
    OutboxEventRepository repository;

    @Override
    protected String topic() {
        return "billing.events";
    }

    @Override
    protected String serviceName() {
        return "billing-service";
    }

    @Override
    protected Enqueued enqueue(String key, String type, Map<String, Object> payload) {
        OutboxEvent event = ReactiveTransactions.inTransaction(() -> outbox.enqueue(key, type, payload));
        return new Enqueued(event.eventId.toString(), event.id);
    }

    @Override
    protected boolean isPublished(Object rowId) {
        return ReactiveTransactions.inSession(() -> repository.findById((Long) rowId)).publishedAt != null;
    }
}
