package dev.palisade.gateway;

import static dev.palisade.gateway.GatewayTestSupport.getRaw;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.palisade.gateway.GatewayTestSupport.TestChannel;
import dev.palisade.gateway.support.GatewayEventsTopic;
import dev.palisade.gateway.support.GatewayPlaylist;
import dev.palisade.gateway.support.GatewayStubs;
import dev.palisade.gateway.support.PlaybackTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What protects origins and the service: many viewers of one segment cause one origin fetch (coalescing, then cache
 * hits); a session or IP over its rate gets 429 with Retry-After; a session pulling every rendition is reported as
 * {@code restream.suspected}; players' CMCD data becomes {@code qoe.sample} events.
 */
@QuarkusTest
@QuarkusTestResource(GatewayStubs.class)
class EdgeProtectionTest {

    static TestChannel channel;

    @BeforeAll
    static void origins() {
        channel = GatewayTestSupport.channel("edge");
    }

    @AfterAll
    static void close() {
        channel.close();
    }

    @Test
    void concurrentViewersOfOneSegmentCauseOneOriginFetch() throws Exception {
        PlaybackTokens.Builder session = PlaybackTokens.session(channel.id());
        List<GatewayPlaylist.Entry> entries = GatewayTestSupport.media(channel.id(), "720p", session.sign());
        GatewayPlaylist.Entry entry = entries.get(entries.size() - 1);
        String variant = GatewayTestSupport.PATTERN.variant(session.watermarkId, entry.sequence());
        String object = "720p/" + variant + "/seg-" + entry.sequence() + ".ts";

        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<byte[]>> viewers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                viewers.add(() -> getRaw(entry.url()).then().statusCode(200).extract().asByteArray());
            }
            List<byte[]> bodies = new ArrayList<>();
            for (Future<byte[]> f : pool.invokeAll(viewers)) {
                bodies.add(f.get());
            }
            assertThat(bodies).allSatisfy(b -> assertThat(b).isEqualTo(bodies.get(0)));
        } finally {
            pool.shutdown();
        }
        assertThat(channel.primary().hits(object) + channel.backup().hits(object)).isEqualTo(1);
        // Later viewers are cache hits.
        getRaw(entry.url()).then().statusCode(200);
        assertThat(channel.primary().hits(object) + channel.backup().hits(object)).isEqualTo(1);
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("palisade_gateway_cache_hits_total").contains("palisade_gateway_coalesced_requests_total")
                .contains("palisade_origin_fetches_total");
    }

    @Test
    void sessionOverItsRateGetsTooManyRequests() throws Exception {
        String token = PlaybackTokens.session(channel.id()).sign();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Response> responses = new ArrayList<>();
        try {
            List<Callable<Response>> burst = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                burst.add(() -> given().queryParam("token", token).get("/live/" + channel.id() + "/index.m3u8"));
            }
            for (Future<Response> f : pool.invokeAll(burst)) {
                responses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 429));
        Response limited = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElse(null);
        assertThat(limited).as("a 429 among 120 concurrent requests").isNotNull();
        limited.then().contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://palisade.dev/problems/rate-limited")).body("scope", equalTo("session"))
                .header("Retry-After", notNullValue());
        // Another session from the same IP is not affected.
        given().queryParam("token", PlaybackTokens.session(channel.id()).sign()).get("/live/" + channel.id() + "/index.m3u8").then()
                .statusCode(200);
    }

    @Test
    void sessionPullingEveryRenditionIsReportedAsRestreamSuspect() {
        PlaybackTokens.Builder session = PlaybackTokens.session(channel.id());
        String token = session.sign();
        List<GatewayPlaylist.Entry> low = GatewayTestSupport.media(channel.id(), "360p", token);
        List<GatewayPlaylist.Entry> high = GatewayTestSupport.media(channel.id(), "720p", token);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5; i++) {
                getRaw(low.get(i).url()).then().statusCode(200);
                getRaw(high.get(i).url()).then().statusCode(200);
            }
        }
        ConsumerRecord<String, String> record = GatewayEventsTopic.await(channel.id(), "restream.suspected",
                r -> r.value().contains(session.sessionId), Duration.ofSeconds(20));
        assertThat(record.value()).contains("\"signal\":\"multiple_renditions\"").contains(session.accountId);
    }

    @Test
    void cmcdFromPlayersBecomesQoeSamples() {
        try (TestChannel qoe = GatewayTestSupport.channel("qoe")) {
            String token = PlaybackTokens.session(qoe.id()).sign();
            given().queryParam("token", token).queryParam("CMCD", "br=3200,bl=8000,mtp=25000,sid=\"abc\"")
                    .get("/live/" + qoe.id() + "/index.m3u8").then().statusCode(200);
            GatewayPlaylist.Entry entry = GatewayTestSupport.media(qoe.id(), "360p", token).get(0);
            // One request carries the start-up flag (query) and a starvation (headers): they land in the same sample.
            given().urlEncodingEnabled(false).header("CMCD-Request", "bl=200,mtp=12000").header("CMCD-Status", "bs")
                    .header("CMCD-Object", "br=800,d=2000,ot=v").get(entry.url() + "&CMCD=su%2Csid%3D%22abc%22").then().statusCode(200);
            ConsumerRecord<String, String> record = GatewayEventsTopic.await(qoe.id(), "qoe.sample",
                    r -> r.value().contains("\"bufferStarvations\":1"), Duration.ofSeconds(20));
            assertThat(record.value()).contains("\"startups\":1").contains("\"mtp\":\"12000\"").contains("\"bs\":\"true\"")
                    .contains("\"bitrateKbps\":{");
        }
    }
}
