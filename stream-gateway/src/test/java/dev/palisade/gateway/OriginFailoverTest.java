package dev.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.palisade.gateway.GatewayTestSupport.TestChannel;
import dev.palisade.gateway.domain.OriginRouter;
import dev.palisade.gateway.support.FakeOrigin;
import dev.palisade.gateway.support.GatewayEventsTopic;
import dev.palisade.gateway.support.GatewayPlaylist;
import dev.palisade.gateway.support.GatewayStubs;
import dev.palisade.gateway.support.PlaybackTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Origins fail and come back while a player keeps refreshing: a killed, failing, hanging or frozen primary is replaced
 * by the backup within one target duration (2 s) without the player seeing an error, each switch is an
 * {@code origin.failover} event on Kafka (matching its schema), and the primary serves again once healthy (fail-back).
 */
@QuarkusTest
@QuarkusTestResource(GatewayStubs.class)
class OriginFailoverTest {

    static final Duration TARGET_DURATION = Duration.ofSeconds(2);

    @Inject
    OriginRouter router;

    /** A player's refresh: the media playlist must answer and its newest segment decrypt to origin bytes. */
    private static long play(TestChannel channel, String token) {
        List<GatewayPlaylist.Entry> entries = GatewayTestSupport.media(channel.id(), "360p", token);
        GatewayPlaylist.Entry last = entries.get(entries.size() - 1);
        byte[] clear = GatewayTestSupport.clearSegment(last);
        assertThat(new String(clear)).contains("sequence=" + last.sequence());
        return last.sequence();
    }

    private String serving(TestChannel channel) {
        return router.known(channel.id()).active().base();
    }

    @Test
    void killedPrimaryIsReplacedWithinOneTargetDurationAndComesBack() throws Exception {
        try (TestChannel channel = GatewayTestSupport.channel("kill")) {
            String token = PlaybackTokens.session(channel.id()).sign();
            play(channel, token);
            assertThat(serving(channel)).isEqualTo(channel.primary().base());

            channel.primary().kill();
            long killed = System.nanoTime();
            // The player's very next refresh already works (served by the backup).
            long before = play(channel, token);
            await().atMost(TARGET_DURATION).pollInterval(Duration.ofMillis(100))
                    .until(() -> serving(channel).equals(channel.backup().base()));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThanOrEqualTo(TARGET_DURATION);
            for (int i = 0; i < 6; i++) {
                Thread.sleep(500);
                play(channel, token);
            }
            assertThat(play(channel, token)).isGreaterThan(before);
            ConsumerRecord<String, String> away = GatewayEventsTopic.await(channel.id(), "origin.failover",
                    r -> r.value().contains("\"to\":\"" + channel.backup().base() + "\""), Duration.ofSeconds(20));
            assertThat(away.value()).contains("\"from\":\"" + channel.primary().base() + "\"").contains("\"reason\":\"error\"");

            channel.primary().revive();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                play(channel, token);
                return serving(channel).equals(channel.primary().base());
            });
            GatewayEventsTopic.await(channel.id(), "origin.failover",
                    r -> r.value().contains("\"reason\":\"recovered\"") && r.value().contains("\"to\":\"" + channel.primary().base() + "\""),
                    Duration.ofSeconds(20));
        }
    }

    @Test
    void hangingPrimaryTimesOutAndTheBackupServes() {
        try (TestChannel channel = GatewayTestSupport.channel("slow")) {
            String token = PlaybackTokens.session(channel.id()).sign();
            play(channel, token);
            channel.primary().mode(FakeOrigin.Mode.SLOW);
            long start = System.nanoTime();
            play(channel, token);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TARGET_DURATION.multipliedBy(2));
            await().atMost(TARGET_DURATION.multipliedBy(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> serving(channel).equals(channel.backup().base()));
            play(channel, token);
            GatewayEventsTopic.await(channel.id(), "origin.failover", r -> r.value().contains("\"reason\":\"timeout\""),
                    Duration.ofSeconds(20));
        }
    }

    @Test
    void failingPrimaryIsLeftForTheBackup() {
        try (TestChannel channel = GatewayTestSupport.channel("503")) {
            String token = PlaybackTokens.session(channel.id()).sign();
            play(channel, token);
            channel.primary().mode(FakeOrigin.Mode.ERROR);
            // The player keeps refreshing (every request still answered); within one target duration the backup serves.
            await().atMost(TARGET_DURATION).pollInterval(Duration.ofMillis(100)).until(() -> {
                play(channel, token);
                return serving(channel).equals(channel.backup().base());
            });
            GatewayEventsTopic.await(channel.id(), "origin.failover", r -> r.value().contains("\"reason\":\"http_503\""),
                    Duration.ofSeconds(20));
        }
    }

    @Test
    void frozenPrimaryPlaylistIsDetectedAndTheStreamKeepsAdvancing() throws Exception {
        try (TestChannel channel = GatewayTestSupport.channel("frozen")) {
            String token = PlaybackTokens.session(channel.id()).sign();
            long first = play(channel, token);
            channel.primary().mode(FakeOrigin.Mode.FROZEN);
            // Frozen = no progress for 1.5 target durations; then the backup serves within the next probe.
            await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(250)).until(() -> {
                play(channel, token);
                return serving(channel).equals(channel.backup().base());
            });
            Thread.sleep(TARGET_DURATION.toMillis() * 2);
            assertThat(play(channel, token)).isGreaterThan(first + 1);
            GatewayEventsTopic.await(channel.id(), "origin.failover", r -> r.value().contains("\"reason\":\"frozen\""),
                    Duration.ofSeconds(20));
            channel.primary().mode(FakeOrigin.Mode.UP);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
                play(channel, token);
                return serving(channel).equals(channel.primary().base());
            });
        }
    }
}
