package dev.palisade.gateway.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.palisade.gateway.config.GatewayConfig;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * When this instance's consumer gets its {@code entitlement.events} partitions, it seeks back
 * {@code palisade.gateway.revocation.rewind} (longer than any token lives), so a gateway that just started still refuses
 * sessions revoked shortly before. Partitions without records that recent start at their end.
 */
@ApplicationScoped
@Named("entitlement-events-rewind")
public class EntitlementEventsRewind implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(EntitlementEventsRewind.class);

    private final GatewayConfig config;

    EntitlementEventsRewind(GatewayConfig config) {
        this.config = config;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long since = System.currentTimeMillis() - config.revocation().rewind().toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since));
        try {
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    consumer.seek(partition, offset.offset());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Could not read entitlement.events back %s: %s", config.revocation().rewind(), e.getMessage());
        }
    }
}
