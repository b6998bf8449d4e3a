package dev.palisade.gateway;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import dev.palisade.gateway.domain.WatermarkPattern;
import dev.palisade.gateway.support.FakeEntitlement;
import dev.palisade.gateway.support.FakeOrigin;
import dev.palisade.gateway.support.GatewayPlaylist;
import io.restassured.response.Response;

/** Channels with fake origins, and a player's moves against the gateway. */
final class GatewayTestSupport {

    static final WatermarkPattern PATTERN = new WatermarkPattern("test-only-watermark-secret".getBytes(StandardCharsets.UTF_8));

    /** A channel with a primary and a backup origin following the same live clock. */
    record TestChannel(String id, FakeOrigin primary, FakeOrigin backup) implements AutoCloseable {
        @Override
        public void close() {
            primary.close();
            backup.close();
        }
    }

    private GatewayTestSupport() {
    }

    static TestChannel channel(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        FakeOrigin.LiveClock clock = FakeOrigin.LiveClock.now(2);
        FakeOrigin primary = new FakeOrigin(id, clock);
        FakeOrigin backup = new FakeOrigin(id, clock);
        FakeEntitlement.get().channel(id, List.of(primary.base(), backup.base()), 3600);
        return new TestChannel(id, primary, backup);
    }

    static String mediaPath(String channel, String rendition) {
        return "/live/" + channel + "/" + rendition + "/index.m3u8";
    }

    static Response getRaw(String pathAndQuery) {
        return given().urlEncodingEnabled(false).get(pathAndQuery);
    }

    static List<GatewayPlaylist.Entry> media(String channel, String rendition, String token) {
        String path = mediaPath(channel, rendition);
        Response response = getRaw(path + "?token=" + token);
        if (response.statusCode() != 200) {
            throw new AssertionError("media playlist answered " + response.statusCode() + ": " + response.asString());
        }
        return GatewayPlaylist.entries(path, response.asString());
    }

    static byte[] segment(GatewayPlaylist.Entry entry) {
        Response response = getRaw(entry.url());
        if (response.statusCode() != 200) {
            throw new AssertionError("segment answered " + response.statusCode() + ": " + response.asString());
        }
        return response.asByteArray();
    }

    /** What a player gets after fetching the key (from the fake entitlement-service) and decrypting. */
    static byte[] clearSegment(GatewayPlaylist.Entry entry) {
        byte[] key = FakeEntitlement.get().keyForUri(entry.keyUri());
        if (key == null) {
            throw new AssertionError("no key behind " + entry.keyUri());
        }
        return GatewayPlaylist.decrypt(segment(entry), key, entry.iv());
    }
}
