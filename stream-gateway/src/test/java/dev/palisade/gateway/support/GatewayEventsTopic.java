package dev.palisade.gateway.support;


import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.palisade.testsupport.TestInfrastructure;
import dev.palisade.testsupport.contract.EventSchemas;
import dev.palisade.testsupport.contract.ServiceWiringContract;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Reads gateway.events and checks each record against the JSON Schema the gateway publishes for its type. */
public final class GatewayEventsTopic {

    private GatewayEventsTopic() {
    }

    /** Waits for a record of {@code type} keyed by {@code channel} matching {@code filter}; it must match its schema. */
    public static ConsumerRecord<String, String> await(String channel, String type, Predicate<ConsumerRecord<String, String>> filter,
            Duration within) {
        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics("gateway.events");
            try {
                Predicate<ConsumerRecord<String, String>> wanted = r -> channel.equals(r.key())
                        && type.equals(ServiceWiringContract.header(r, "ce_type")) && filter.test(r);
                org.awaitility.Awaitility.await().atMost(within).until(() -> records.getRecords().stream().anyMatch(wanted));
                ConsumerRecord<String, String> record = records.getRecords().stream().filter(wanted).findFirst().orElseThrow();
                assertMatchesSchema(type, record.value());
                return record;
            } finally {
                records.stop();
            }
        }
    }

    /** All records of a channel seen within {@code during}. */
    public static List<ConsumerRecord<String, String>> all(String channel, Duration during) {
        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics("gateway.events");
            try {
                Thread.sleep(during.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            records.stop();
            return records.getRecords().stream().filter(r -> channel.equals(r.key())).toList();
        }
    }

    public static void assertMatchesSchema(String type, String json) {
        EventSchemas.assertMatches("gateway.events", type, json);
    }
}
