package dev.palisade.billing;

import static dev.palisade.billing.BillingFlows.SUCCESS;
import static dev.palisade.billing.BillingFlows.createPlan;
import static dev.palisade.billing.BillingFlows.header;
import static dev.palisade.billing.BillingFlows.key;
import static dev.palisade.billing.BillingFlows.newAccount;
import static dev.palisade.billing.BillingFlows.subscribe;
import static dev.palisade.billing.BillingFlows.subscriberAal2;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** With the broker down, subscription changes still commit; their events all go out, once each and in order, after. */
@QuarkusTest
class KafkaOutageTest {

    static final int ACCOUNTS = 20;
    static final int CHANGES_PER_ACCOUNT = 10;
    static final Pattern SEQUENCE = Pattern.compile("\"sequence\":(\\d+)");

    @Test
    void twoHundredChangesDuringAKafkaOutageArePublishedExactlyOnceInOrderPerAccount() {
        assumeTrue(TestInfrastructure.kafka().isEmbedded(), "external Kafka is not stopped by tests");
        // Trial plans: subscribing and changing plan are immediate, with no payment in between.
        String planA = createPlan(1000, 30, "MONTH");
        String planB = createPlan(2000, 30, "MONTH");
        Map<String, String> subscriptions = new LinkedHashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            subscriptions.put(newAccount(), null);
        }

        TestInfrastructure.kafka().stop();
        try {
            for (String account : subscriptions.keySet()) {
                String id = subscribe(account, planA, SUCCESS, key()).then().statusCode(201).extract().path("id");
                subscriptions.put(account, id);
            }
            for (int change = 1; change < CHANGES_PER_ACCOUNT; change++) {
                String target = change % 2 == 1 ? planB : planA;
                for (Map.Entry<String, String> s : subscriptions.entrySet()) {
                    given().auth().oauth2(subscriberAal2(s.getKey())).header("Idempotency-Key", key())
                            .contentType(ContentType.JSON).body(Map.of("planId", target))
                            .post("/api/v1/subscriptions/" + s.getValue() + "/plan-change").then().statusCode(200);
                }
            }
        } finally {
            TestInfrastructure.kafka().start();
        }

        try (BillingFlows.Events events = new BillingFlows.Events()) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> subscriptions.keySet()
                    .stream().mapToInt(a -> events.of(a).size()).sum() >= ACCOUNTS * CHANGES_PER_ACCOUNT);
            // Give a duplicate, if there were one, the time to show up.
            await().pollDelay(Duration.ofSeconds(3)).until(() -> true);

            Set<String> ids = new HashSet<>();
            int total = 0;
            for (String account : subscriptions.keySet()) {
                List<ConsumerRecord<String, String>> records = events.of(account);
                assertThat(records).hasSize(CHANGES_PER_ACCOUNT);
                assertThat(header(records.get(0), "ce_type")).isEqualTo("subscription.activated");
                assertThat(records.subList(1, records.size())).allMatch(
                        r -> "subscription.plan-changed".equals(header(r, "ce_type")));
                List<Long> sequences = new ArrayList<>();
                for (ConsumerRecord<String, String> record : records) {
                    ids.add(header(record, "ce_id"));
                    Matcher m = SEQUENCE.matcher(record.value());
                    assertThat(m.find()).isTrue();
                    sequences.add(Long.parseLong(m.group(1)));
                }
                assertThat(sequences).isSorted().doesNotHaveDuplicates();
                total += records.size();
            }
            assertThat(total).isEqualTo(ACCOUNTS * CHANGES_PER_ACCOUNT);
            assertThat(ids).hasSize(ACCOUNTS * CHANGES_PER_ACCOUNT);
        }
    }
}
