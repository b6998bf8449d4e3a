package dev.palisade.gateway;

import static dev.palisade.gateway.GatewayTestSupport.getRaw;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.palisade.gateway.GatewayTestSupport.TestChannel;
import dev.palisade.gateway.support.GatewayPlaylist;
import dev.palisade.gateway.support.GatewayStubs;
import dev.palisade.gateway.support.PlaybackTokens;
import dev.palisade.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A {@code playback.revoked} (or {@code playback.ended}) record on the real {@code entitlement.events} topic makes the
 * gateway refuse the session's next playlist refresh and segments within five seconds, while other sessions go on.
 */
@QuarkusTest
@QuarkusTestResource(GatewayStubs.class)
class RevocationTest {

    static TestChannel channel;

    @BeforeAll
    static void origins() {
        channel = GatewayTestSupport.channel("revoke");
    }

    @AfterAll
    static void close() {
        channel.close();
    }

    static void publish(String type, String accountId, String sessionId, String channelId) {
        String value = "{\"accountId\":\"" + accountId + "\",\"sessionId\":\"" + sessionId + "\",\"channelId\":\"" + channelId
                + "\",\"reason\":\"test\",\"at\":\"" + Instant.now() + "\"}";
        ProducerRecord<String, String> record = new ProducerRecord<>("entitlement.events", null, accountId, value, List.of(
                new RecordHeader("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("ce_type", type.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("ce_source", "/palisade/entitlement-service".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8))));
        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.kafka().bootstrapServers())) {
            kafka.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(20));
        }
    }

    @Test
    void revokedSessionIsRefusedOnItsNextRefreshWithinFiveSeconds() {
        PlaybackTokens.Builder session = PlaybackTokens.session(channel.id());
        String token = session.sign();
        String bystander = PlaybackTokens.session(channel.id()).sign();
        GatewayPlaylist.Entry entry = GatewayTestSupport.media(channel.id(), "360p", token).get(0);
        GatewayTestSupport.segment(entry);

        publish("playback.revoked", session.accountId, session.sessionId, channel.id());
        long published = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                getRaw(GatewayTestSupport.mediaPath(channel.id(), "360p") + "?token=" + token).then().statusCode(403)
                        .contentType(startsWith("application/problem+json"))
                        .body("type", equalTo("https://palisade.dev/problems/session-revoked")));
        org.assertj.core.api.Assertions.assertThat(Duration.ofNanos(System.nanoTime() - published)).isLessThan(Duration.ofSeconds(5));
        getRaw(entry.url()).then().statusCode(403).body("type", equalTo("https://palisade.dev/problems/session-revoked"));
        getRaw("/live/" + channel.id() + "/index.m3u8?token=" + token).then().statusCode(403);
        GatewayTestSupport.media(channel.id(), "360p", bystander);
    }

    @Test
    void endedSessionIsRefusedToo() {
        PlaybackTokens.Builder session = PlaybackTokens.session(channel.id());
        String token = session.sign();
        GatewayTestSupport.media(channel.id(), "720p", token);
        publish("playback.ended", session.accountId, session.sessionId, channel.id());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                getRaw(GatewayTestSupport.mediaPath(channel.id(), "720p") + "?token=" + token).then().statusCode(403));
    }
}
