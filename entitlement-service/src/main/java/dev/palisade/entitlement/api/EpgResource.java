package dev.palisade.entitlement.api;

import java.io.StringWriter;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.domain.Channel;
import dev.palisade.entitlement.domain.EpgService;
import dev.palisade.entitlement.domain.Lineups;
import dev.palisade.entitlement.domain.Xmltv;
import dev.palisade.entitlement.repository.ChannelRepository;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The programme guide: XMLTV import (operators), XMLTV export and now/next (operators: every channel; viewers: their lineup). */
@Path("/api/v1/epg")
public class EpgResource {

    public record FetchRequest(@NotBlank @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String url) {
    }

    private final EpgService epg;
    private final ChannelRepository channels;
    private final Lineups lineups;

    @Inject
    JsonWebToken jwt;

    EpgResource(EpgService epg, ChannelRepository channels, Lineups lineups) {
        this.epg = epg;
        this.channels = channels;
        this.lineups = lineups;
    }

    @POST
    @Path("/xmltv")
    @RolesAllowed("operator")
    @Consumes({ MediaType.APPLICATION_XML, MediaType.TEXT_XML, "application/gzip", "application/x-gzip", MediaType.APPLICATION_OCTET_STREAM })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import an XMLTV guide (upload, plain or gzip)",
            description = "All or nothing: a malformed file is refused with its line and the reason, and changes nothing. For every channel"
                    + " in the file, its programmes within the file's time span are replaced.")
    public Uni<EpgService.ImportResult> upload(byte[] body) {
        if (body == null || body.length == 0) {
            throw EntitlementProblems.invalid("body", "must be an XMLTV document");
        }
        return guarded(epg.importBytes(body));
    }

    @POST
    @Path("/xmltv/fetch")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import an XMLTV guide from a URL", description = "Streamed from the source into the parser; plain or gzip.")
    public Uni<EpgService.ImportResult> fetch(@Valid @NotNull FetchRequest body) {
        return guarded(epg.importUrl(URI.create(body.url())));
    }

    @GET
    @Path("/xmltv")
    @RolesAllowed("**")
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "Export the guide as XMLTV", description = "Channel ids are EPG ids (the tvg-id of the M3U playlist).")
    public Uni<Response> export(@QueryParam("from") String from, @QueryParam("to") String to) {
        Instant now = epg.now();
        Instant start = instant("from", from, now.minus(epg.config().exportPast()));
        Instant end = instant("to", to, now.plus(epg.config().exportAhead()));
        if (!end.isAfter(start) || java.time.Duration.between(start, end).toDays() > 31) {
            throw EntitlementProblems.invalid("to", "must be after 'from' and at most 31 days later");
        }
        return visibleChannels().chain(list -> epg.programmes(list, start, end).map(programmes -> {
            StringWriter out = new StringWriter();
            Xmltv.write(out, guideChannels(list), programmes, "Palisade");
            return Response.ok(out.toString(), MediaType.APPLICATION_XML_TYPE.withCharset("UTF-8")).header("Cache-Control", "private, max-age=300")
                    .build();
        }));
    }

    @GET
    @Path("/now-next")
    @RolesAllowed("**")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What is on now and next", description = "Per channel (operators: all channels; viewers: their lineup); 'channel' narrows to one.")
    public Uni<List<EpgService.NowNext>> nowNext(@QueryParam("channel") String channelId) {
        return visibleChannels().chain(list -> {
            List<Channel> scope = channelId == null ? list : list.stream().filter(c -> c.id.equals(channelId)).toList();
            if (channelId != null && scope.isEmpty()) {
                throw EntitlementProblems.notFound("Channel " + channelId);
            }
            return epg.nowNext(scope);
        });
    }

    static List<Xmltv.GuideChannel> guideChannels(List<Channel> list) {
        Map<String, Xmltv.GuideChannel> unique = new java.util.LinkedHashMap<>();
        for (Channel c : list) {
            unique.putIfAbsent(EpgService.epgId(c), new Xmltv.GuideChannel(EpgService.epgId(c), c.name, c.logoUrl));
        }
        return List.copyOf(unique.values());
    }

    private Uni<List<Channel>> visibleChannels() {
        boolean operator = jwt.getGroups() != null && jwt.getGroups().contains("operator");
        return Panache.withSession(() -> operator ? channels.ordered() : lineups.of(AccountIds.of(jwt)));
    }

    private static Uni<EpgService.ImportResult> guarded(Uni<EpgService.ImportResult> work) {
        return work.onFailure(Xmltv.Malformed.class).transform(e -> {
            Xmltv.Malformed m = (Xmltv.Malformed) e;
            return HttpProblem.builder().withType(URI.create("https://palisade.dev/problems/invalid-xmltv")).withTitle("Invalid XMLTV")
                    .withStatus(Response.Status.BAD_REQUEST)
                    .withDetail((m.line() > 0 ? "Line " + m.line() + ": " : "") + m.getMessage() + ". Nothing was imported.")
                    .with("line", m.line()).build();
        }).onFailure(EpgService.SourceUnavailable.class).transform(e -> EntitlementProblems.of(Response.Status.BAD_GATEWAY,
                "epg-source-unavailable", "Guide source unavailable", e.getMessage() + ". Nothing was imported."));
    }

    private static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw EntitlementProblems.invalid(name, "must be an ISO-8601 instant such as 2026-11-24T12:00:00Z");
        }
    }
}
