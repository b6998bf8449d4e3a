package dev.palisade.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The watch journey of a new subscriber, through the running platform, with real clients: register, enrol TOTP with a
 * code from oathtool, sign in with password and code, subscribe with the sandbox payment gateway, wait for the
 * entitlement, start a playback session, play the protected demo channel with ffmpeg through stream-gateway (token →
 * playlist → key from entitlement-service → decrypted segments), keep playing while the primary origin is killed, and
 * get a third stream refused on a two-stream plan; a revoked session is refused at its next playlist refresh.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchJourneyTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static Platform platform;
    static String operator;
    static String subscriber;
    static String subscriberId;
    static JsonNode firstSession;

    @BeforeAll
    static void startPlatform() throws Exception {
        assumeTrue(Tools.installed("oathtool") && Tools.installed("ffmpeg"),
                "The end-to-end journey uses oathtool (authenticator) and ffmpeg (player): apt-get install -y oathtool ffmpeg. Skipped.");
        platform = Platform.start();
        operator = operatorWithAal2();
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aNewSubscriberRegistersEnrolsTotpAndSignsInWithPasswordAndCode() throws Exception {
        String email = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String password = "an end to end passphrase " + UUID.randomUUID().toString().substring(0, 6);
        assertThat(post(Platform.AUTH + "/api/v1/accounts", null, Map.of("email", email, "password", password)).statusCode()).isEqualTo(202);
        String aal1 = json(post(Platform.AUTH + "/api/v1/login", null, Map.of("email", email, "password", password)), 200).get("accessToken").asText();
        String secret = json(post(Platform.AUTH + "/api/v1/mfa/totp", aal1, null), 200).get("secret").asText();
        json(post(Platform.AUTH + "/api/v1/mfa/totp/confirm", aal1, Map.of("code", Tools.totp(secret, 0))), 200);

        JsonNode challenge = json(post(Platform.AUTH + "/api/v1/login", null, Map.of("email", email, "password", password)), 200);
        assertThat(challenge.hasNonNull("accessToken")).as("password alone no longer signs in").isFalse();
        JsonNode signedIn = json(post(Platform.AUTH + "/api/v1/login/mfa", null,
                Map.of("mfaToken", challenge.get("mfaToken").asText(), "code", Tools.totp(secret, 30))), 200);
        subscriber = signedIn.get("accessToken").asText();
        Map<?, ?> claims = JSON.readValue(Base64.getUrlDecoder().decode(subscriber.split("\\.")[1]), Map.class);
        assertThat(claims.get("acr")).isEqualTo("aal2");
        subscriberId = (String) claims.get("sub");
    }

    @Test
    @Order(2)
    void theSubscriberSubscribesWithTheSandboxGatewayAndTheChannelBecomesPlayable() throws Exception {
        // A two-stream plan with the demo channel's package (dev/up created the channel on the two demo origins).
        JsonNode plan = json(post(Platform.BILLING + "/api/v1/plans", operator, Map.of("code", "e2e-" + UUID.randomUUID().toString().substring(0, 8),
                "name", "Family", "priceMinor", 999, "currency", "EUR", "billingInterval", "MONTH", "channelPackages", new String[] { "basic" },
                "maxStreams", 2, "streamLimitPolicy", "REFUSE_NEW")), 201);
        JsonNode subscription = json(post(Platform.BILLING + "/api/v1/subscriptions", subscriber,
                Map.of("planId", plan.get("id").asText(), "paymentMethodToken", "tok_sandbox_success")), 201);
        assertThat(subscription.get("status").asText()).isIn("INCOMPLETE", "ACTIVE", "TRIALING");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> start;
        do {
            start = post(Platform.ENTITLEMENT + "/api/v1/playback/sessions", subscriber, Map.of("channelId", "demo", "deviceId", "e2e-tv"));
            if (start.statusCode() != 201) {
                Thread.sleep(200);
            }
        } while (start.statusCode() != 201 && System.nanoTime() < deadline);
        firstSession = json(start, 201);
        assertThat(firstSession.get("playbackUrl").asText()).startsWith(Platform.GATEWAY + "/live/demo/index.m3u8?token=");
    }

    @Test
    @Order(3)
    void ffmpegPlaysTheProtectedChannelAndKeepsPlayingWhenThePrimaryOriginIsKilled() throws Exception {
        String url = firstSession.get("playbackUrl").asText();
        // The segments reach the player encrypted; the key comes from entitlement-service.
        String master = get(url).body();
        String media = get(resolve(url, firstUri(master))).body();
        assertThat(media).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"" + Platform.ENTITLEMENT + "/api/v1/keys/hls/demo/");

        Path log = Files.createDirectories(platform.root.resolve("e2e/target")).resolve("ffmpeg-failover.log");
        Process player = Tools.play(url, 24, log);
        Thread.sleep(8_000);
        assertThat(player.isAlive()).as("ffmpeg still playing after 8 s: " + Files.readString(log)).isTrue();
        ProcessHandle.of(platform.pid("origin-primary")).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(player.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(player.exitValue()).as("ffmpeg exit; its output:\n" + output).isZero();
        assertThat(output).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("corrupt").doesNotContain("403").doesNotContain("404");
        // It decoded the full 24 s of video (25 fps), not a few frames before giving up.
        int frames = lastFrameCount(output);
        assertThat(frames).as("frames decoded; output:\n" + output).isGreaterThanOrEqualTo(24 * 25 - 50);
        // The gateway switched to the backup origin, and says so in its metrics.
        String metrics = get(Platform.GATEWAY + "/q/metrics").body();
        assertThat(metrics.lines().filter(l -> l.startsWith("palisade_origin_failovers_total") && l.contains("channel=\"demo\"")
                && l.contains("from=\"" + Platform.ORIGIN_PRIMARY.substring("http://".length()))).toList()).as(metrics).isNotEmpty();
    }

    @Test
    @Order(4)
    void aThirdStreamIsRefusedOnATwoStreamPlan() throws Exception {
        json(post(Platform.ENTITLEMENT + "/api/v1/playback/sessions", subscriber, Map.of("channelId", "demo", "deviceId", "e2e-phone")), 201);
        HttpResponse<String> third = post(Platform.ENTITLEMENT + "/api/v1/playback/sessions", subscriber,
                Map.of("channelId", "demo", "deviceId", "e2e-tablet"));
        assertThat(third.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(third.body()).get("type").asText()).isEqualTo("https://palisade.dev/problems/too-many-streams");
    }

    @Test
    @Order(5)
    void aRevokedSessionIsRefusedAtItsNextPlaylistRefreshWithinFiveSeconds() throws Exception {
        String url = firstSession.get("playbackUrl").asText();
        String mediaUrl = resolve(url, firstUri(get(url).body()));
        assertThat(get(mediaUrl).statusCode()).isEqualTo(200);
        HttpResponse<String> revoke = HTTP.send(HttpRequest.newBuilder(URI.create(Platform.ENTITLEMENT + "/api/v1/admin/playback-sessions/"
                + firstSession.get("sessionId").asText())).header("Authorization", "Bearer " + operator).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoke.statusCode()).isEqualTo(204);
        long revokedAt = System.nanoTime();
        int status;
        do {
            status = get(mediaUrl).statusCode();
            if (status == 200) {
                Thread.sleep(250);
            }
        } while (status == 200 && System.nanoTime() - revokedAt < TimeUnit.SECONDS.toNanos(10));
        double seconds = (System.nanoTime() - revokedAt) / 1e9;
        assertThat(status).isEqualTo(403);
        assertThat(seconds).as("refused after %.1f s", seconds).isLessThan(5.0);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** The bootstrap operator of the fresh stack enrols TOTP (oathtool) and signs in with aal2. */
    static String operatorWithAal2() throws Exception {
        Map<String, String> credentials = Map.of("email", "operator@palisade.local", "password", "dev-only-tuned-lantern-harbor");
        String aal1 = json(post(Platform.AUTH + "/api/v1/login", null, credentials), 200).get("accessToken").asText();
        String secret = json(post(Platform.AUTH + "/api/v1/mfa/totp", aal1, null), 200).get("secret").asText();
        json(post(Platform.AUTH + "/api/v1/mfa/totp/confirm", aal1, Map.of("code", Tools.totp(secret, 0))), 200);
        String mfa = json(post(Platform.AUTH + "/api/v1/login", null, credentials), 200).get("mfaToken").asText();
        return json(post(Platform.AUTH + "/api/v1/login/mfa", null, Map.of("mfaToken", mfa, "code", Tools.totp(secret, 30))), 200)
                .get("accessToken").asText();
    }

    static HttpResponse<String> post(String url, String bearer, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Idempotency-Key", UUID.randomUUID().toString());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.POST(HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response, int expected) throws IOException {
        assertThat(response.statusCode()).as(response.uri() + " answered " + response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    static String firstUri(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst()
                .orElseThrow(() -> new AssertionError("no URI in playlist:\n" + playlist));
    }

    static String resolve(String base, String uri) {
        return URI.create(base).resolve(uri).toString();
    }

    static int lastFrameCount(String ffmpegOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("frame=\\s*(\\d+)").matcher(ffmpegOutput);
        int last = 0;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }
}
