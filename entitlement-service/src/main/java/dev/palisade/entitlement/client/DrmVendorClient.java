package dev.palisade.entitlement.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.palisade.entitlement.config.DrmConfig;
import dev.palisade.entitlement.domain.ContentKeyService.ClearKey;
import io.smallrye.mutiny.Uni;

/**
 * Forwards a player's licence challenge to a commercial DRM vendor with a signed entitlement message, and relays the
 * vendor's answer. The message (Axinom-style, version 2) lists the content key ids the licence may hold, the licence
 * duration, and who it is for; it is an HS256 JWT under the communication key shared with the vendor.
 */
@ApplicationScoped
public class DrmVendorClient {

    private static final Logger LOG = Logger.getLogger(DrmVendorClient.class);

    /** The vendor's answer, relayed as is. */
    public record VendorResponse(int status, String contentType, byte[] body) {
    }

    /** The vendor could not be reached or answered with a server error; {@code timeout} when it did not answer in time. */
    public static final class VendorUnavailable extends RuntimeException {
        private final boolean timeout;

        public VendorUnavailable(String message, boolean timeout) {
            super(message);
            this.timeout = timeout;
        }

        public boolean timeout() {
            return timeout;
        }
    }

    /** Who the licence is for. */
    public record Grant(String accountId, String sessionId, String channelId, int maxStreams) {
    }

    private final DrmConfig config;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER)
            .build();

    DrmVendorClient(DrmConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    public boolean knows(String vendor) {
        return config.vendors().containsKey(vendor);
    }

    public int maxChallengeBytes(String vendor) {
        return config.vendors().get(vendor).maxChallengeBytes();
    }

    public Uni<VendorResponse> forward(String vendorName, byte[] challenge, String contentType, Grant grant, List<ClearKey> keys) {
        DrmConfig.Vendor vendor = config.vendors().get(vendorName);
        String message = entitlementMessage(vendor, grant, keys);
        HttpRequest request = HttpRequest.newBuilder(URI.create(vendor.url())).timeout(vendor.timeout())
                .header("Content-Type", contentType == null ? "application/octet-stream" : contentType)
                .header(vendor.header(), message)
                .POST(HttpRequest.BodyPublishers.ofByteArray(challenge)).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                .onFailure().transform(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    boolean timeout = cause instanceof HttpTimeoutException;
                    LOG.warnf("DRM vendor %s %s: %s", vendorName, timeout ? "timed out" : "unreachable", cause.toString());
                    return new VendorUnavailable("The DRM licence service '" + vendorName + "' " + (timeout ? "did not answer in time." : "cannot be reached."),
                            timeout);
                }).map(response -> {
                    if (response.statusCode() >= 500) {
                        LOG.warnf("DRM vendor %s answered %d", vendorName, response.statusCode());
                        throw new VendorUnavailable("The DRM licence service '" + vendorName + "' failed (HTTP " + response.statusCode() + ").", false);
                    }
                    return new VendorResponse(response.statusCode(),
                            response.headers().firstValue("Content-Type").orElse("application/octet-stream"), response.body());
                });
    }

    String entitlementMessage(DrmConfig.Vendor vendor, Grant grant, List<ClearKey> keys) {
        Instant now = Instant.now();
        List<Map<String, Object>> inline = new ArrayList<>();
        for (ClearKey k : keys) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", k.kid().toString());
            vendor.contentKeyUsagePolicy().ifPresent(p -> entry.put("usage_policy", p));
            inline.add(entry);
        }
        Map<String, Object> licence = new LinkedHashMap<>();
        licence.put("start_datetime", now.minusSeconds(60).toString());
        licence.put("expiration_datetime", now.plus(vendor.licenceDuration()).toString());
        licence.put("allow_persistence", false);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "entitlement_message");
        message.put("version", 2);
        message.put("license", licence);
        message.put("content_keys_source", Map.of("inline", inline));
        message.put("session", Map.of("account_id", grant.accountId(), "playback_session_id", grant.sessionId(), "channel_id",
                grant.channelId(), "max_concurrent_streams", grant.maxStreams()));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("version", 1);
        claims.put("com_key_id", vendor.communicationKeyId());
        claims.put("message", message);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(vendor.messageTtl()).getEpochSecond());
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(json.writeValueAsString(claims));
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setHeader("typ", "JWT");
            jws.setKey(new HmacKey(Base64.getDecoder().decode(vendor.communicationKey())));
            return jws.getCompactSerialization();
        } catch (JsonProcessingException | JoseException e) {
            throw new IllegalStateException("Signing the entitlement message failed", e);
        }
    }
}
