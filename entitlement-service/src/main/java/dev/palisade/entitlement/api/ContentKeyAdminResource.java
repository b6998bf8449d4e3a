package dev.palisade.entitlement.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import dev.palisade.entitlement.config.PlaybackConfig;
import dev.palisade.entitlement.domain.ContentKeyService;
import dev.palisade.entitlement.domain.Cpix;
import dev.palisade.entitlement.repository.ChannelRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Content keys for operators and trusted services: CPIX export for packagers (operator) and the per-period key for stream-gateway's on-the-fly encryption (service clients).
 */
@Path("/api/v1")
public class ContentKeyAdminResource {

    private static final Logger LOG = Logger.getLogger(ContentKeyAdminResource.class);
    /** Most periods one CPIX document may hold. */
    static final int MAX_PERIODS = 168;

    public record ChannelConfig(String id, java.util.List<String> origins, int keyRotationSeconds) {
    }

    public record PeriodKey(String channelId, long period, String kid, String key, Instant notBefore, Instant notAfter, String hlsKeyUri) {
    }

    private final ChannelRepository channels;
    private final ContentKeyService keys;
    private final PlaybackConfig config;

    @Inject
    JsonWebToken jwt;

    ContentKeyAdminResource(ChannelRepository channels, ContentKeyService keys, PlaybackConfig config) {
        this.channels = channels;
        this.keys = keys;
        this.config = config;
    }

    @GET
    @Path("/keys/cpix/{channel}")
    @RolesAllowed("operator")
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "CPIX export of a channel's content keys",
            description = "DASH-IF CPIX 2.3 with the keys of 'periods' key periods starting at the one containing 'from' (default: now);"
                    + " missing keys are created. Plain key values: fetch over TLS only.")
    public Uni<Response> cpix(@PathParam("channel") String channelId, @QueryParam("from") String from, @QueryParam("periods") Integer periods) {
        Instant start = parseInstant(from);
        int count = periods == null ? 2 : periods;
        if (count < 1 || count > MAX_PERIODS) {
            throw EntitlementProblems.invalid("periods", "must be between 1 and " + MAX_PERIODS);
        }
        return Panache.withTransaction(() -> channels.findById(channelId).chain(channel -> {
            if (channel == null) {
                throw EntitlementProblems.notFound("Channel " + channelId);
            }
            long first = ContentKeyService.period(channel, start);
            return keys.range(channel, first, first + count - 1);
        })).map(list -> {
            LOG.infof("CPIX export of %d keys of channel %s (periods %d..%d) by %s", list.size(), channelId, list.get(0).period(),
                    list.get(list.size() - 1).period(), jwt.getSubject());
            String doc = Cpix.document(channelId, list, kid -> hlsKeyUri(channelId, kid));
            return KeyDeliveryResource.noStore(Response.ok(doc, MediaType.APPLICATION_XML_TYPE))
                    .header("Content-Disposition", "attachment; filename=\"" + channelId + ".cpix.xml\"").build();
        });
    }

    @GET
    @Path("/internal/channels/{channel}")
    @RolesAllowed("service")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A channel's delivery settings, for stream-gateway", description = "Ordered origins and the key period.")
    public Uni<ChannelConfig> channel(@PathParam("channel") String channelId) {
        return Panache.withSession(() -> channels.findById(channelId)).map(c -> {
            if (c == null) {
                throw EntitlementProblems.notFound("Channel " + channelId);
            }
            return new ChannelConfig(c.id, c.originList(), c.keyRotationSeconds);
        });
    }

    @GET
    @Path("/internal/channels/{channel}/keys/{period}")
    @RolesAllowed("service")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A channel's content key for one key period, for stream-gateway's encryption",
            description = "Only the current, previous and next period are served.")
    public Uni<Response> periodKey(@PathParam("channel") String channelId, @PathParam("period") long period) {
        return Panache.withTransaction(() -> channels.findById(channelId).chain(channel -> {
            if (channel == null) {
                throw EntitlementProblems.notFound("Channel " + channelId);
            }
            long current = keys.currentPeriod(channel);
            if (period < current - 1 || period > current + 1) {
                throw EntitlementProblems.invalid("period", "must be the current key period (" + current + ") or next to it");
            }
            return keys.keyFor(channel, period);
        })).map(k -> KeyDeliveryResource.noStore(Response.ok(new PeriodKey(channelId, k.period(), k.kid().toString(),
                Base64.getEncoder().encodeToString(k.key()), k.notBefore(), k.notAfter(), hlsKeyUri(channelId, k.kid())),
                MediaType.APPLICATION_JSON_TYPE)).build());
    }

    private String hlsKeyUri(String channelId, UUID kid) {
        return config.issuer() + "/api/v1/keys/hls/" + channelId + "/" + kid;
    }

    private static Instant parseInstant(String from) {
        if (from == null || from.isBlank()) {
            return Instant.now();
        }
        try {
            return Instant.parse(from);
        } catch (DateTimeParseException e) {
            throw EntitlementProblems.invalid("from", "must be an ISO-8601 instant such as 2026-11-24T12:00:00Z");
        }
    }
}
