package dev.palisade.entitlement.api;

import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.config.PlaybackConfig;
import dev.palisade.entitlement.domain.Channel;
import dev.palisade.entitlement.domain.EpgService;
import dev.palisade.entitlement.domain.Lineups;
import dev.palisade.entitlement.domain.PlaybackSession;
import dev.palisade.entitlement.domain.PlaybackSessionService;
import dev.palisade.entitlement.domain.PlaylistLink;
import dev.palisade.entitlement.domain.Xmltv;
import dev.palisade.entitlement.repository.PlaybackSessionRepository;
import dev.palisade.entitlement.repository.PlaylistLinkRepository;
import dev.palisade.entitlement.security.PlaybackTokenIssuer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code m3u_plus} playlists for IPTV apps. An app that only takes a URL gets a playlist link: a revocable,
 * playback-only credential (never the account password). Its channel URLs start (or resume) a playback session
 * through the same concurrency ledger as any other player and redirect to stream-gateway with a playback token.
 */
@Path("/api/v1")
public class PlaylistResource {

    public record LinkRequest(@Size(max = 60) String label) {
    }

    /** The link as created: {@code playlistUrl} (with the secret) is shown this once. */
    public record CreatedLink(String id, String label, OffsetDateTime createdAt, String playlistUrl, String epgUrl) {
    }

    public record LinkView(String id, String label, OffsetDateTime createdAt, OffsetDateTime lastUsedAt) {
    }

    static final int MAX_LINKS = 10;
    private static final String M3U = "audio/x-mpegurl";

    private final PlaylistLinkRepository links;
    private final PlaybackSessionRepository sessions;
    private final PlaybackSessionService playback;
    private final PlaybackTokenIssuer tokens;
    private final Lineups lineups;
    private final EpgService epg;
    private final PlaybackConfig config;
    private final SecureRandom random = new SecureRandom();

    @Inject
    JsonWebToken jwt;

    @Context
    HttpServerRequest request;

    PlaylistResource(PlaylistLinkRepository links, PlaybackSessionRepository sessions, PlaybackSessionService playback,
            PlaybackTokenIssuer tokens, Lineups lineups, EpgService epg, PlaybackConfig config) {
        this.links = links;
        this.sessions = sessions;
        this.playback = playback;
        this.tokens = tokens;
        this.lineups = lineups;
        this.epg = epg;
        this.config = config;
    }

    @POST
    @Path("/lineup/playlist-links")
    @RolesAllowed("**")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Create a playlist link", description = "An M3U URL for IPTV apps; the URL is shown once. At most 10 per account.")
    public Uni<Response> create(LinkRequest body) {
        UUID account = AccountIds.of(jwt);
        return links.activeOf(account).chain(existing -> {
            if (existing.size() >= MAX_LINKS) {
                throw EntitlementProblems.invalid("label", "cannot be added: an account has at most " + MAX_LINKS
                        + " playlist links; revoke one first");
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            PlaylistLink link = new PlaylistLink();
            link.id = UUID.randomUUID();
            link.accountId = account;
            link.secretHash = digest(secret);
            link.label = body == null || body.label() == null || body.label().isBlank() ? null : body.label().strip();
            link.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            return links.persist(link).map(saved -> Response.status(Response.Status.CREATED).header("Cache-Control", "no-store")
                    .entity(new CreatedLink(link.id.toString(), link.label, link.createdAt, base() + "/api/v1/playlists/" + secret + ".m3u",
                            base() + "/api/v1/playlists/" + secret + "/epg.xml"))
                    .build());
        });
    }

    @GET
    @Path("/lineup/playlist-links")
    @RolesAllowed("**")
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    @Operation(summary = "My playlist links")
    public Uni<List<LinkView>> list() {
        return links.activeOf(AccountIds.of(jwt))
                .map(list -> list.stream().map(l -> new LinkView(l.id.toString(), l.label, l.createdAt, l.lastUsedAt)).toList());
    }

    @DELETE
    @Path("/lineup/playlist-links/{id}")
    @RolesAllowed("**")
    @Consumes(MediaType.WILDCARD)
    @WithTransaction
    @Operation(summary = "Revoke a playlist link", description = "Its URLs stop working at once; sessions opened through it end.")
    public Uni<Response> revoke(@PathParam("id") String id) {
        UUID account = AccountIds.of(jwt);
        UUID linkId;
        try {
            linkId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw EntitlementProblems.notFound("Playlist link " + id);
        }
        return links.findById(linkId).chain(link -> {
            if (link == null || !link.accountId.equals(account) || link.revokedAt != null) {
                throw EntitlementProblems.notFound("Playlist link " + id);
            }
            link.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return sessions.list("accountId = ?1 and deviceId = ?2 and endedAt is null", account, link.deviceId())
                    .chain(open -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (PlaybackSession s : open) {
                            chain = chain.chain(() -> playback.endOne(s, "playlist_link_revoked"));
                        }
                        return chain;
                    });
        }).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/playlists/{secret}.m3u")
    @Produces(M3U)
    @Operation(summary = "m3u_plus playlist of a playlist link", description = "tvg-id, tvg-logo, group-title; the guide in url-tvg.")
    public Uni<Response> playlist(@PathParam("secret") String secret) {
        return Panache.withTransaction(() -> link(secret).chain(link -> lineups.of(link.accountId).map(channels -> {
            StringBuilder m3u = new StringBuilder();
            String epgUrl = base() + "/api/v1/playlists/" + secret + "/epg.xml";
            m3u.append("#EXTM3U url-tvg=\"").append(epgUrl).append("\" x-tvg-url=\"").append(epgUrl).append("\"\n");
            for (Channel c : channels) {
                m3u.append("#EXTINF:-1 tvg-id=\"").append(attr(EpgService.epgId(c))).append("\" tvg-name=\"").append(attr(c.name))
                        .append("\" tvg-chno=\"").append(c.number).append('"');
                if (c.logoUrl != null) {
                    m3u.append(" tvg-logo=\"").append(attr(c.logoUrl)).append('"');
                }
                m3u.append(" group-title=\"").append(attr(c.category)).append("\",").append(line(c.name)).append('\n');
                m3u.append(base()).append("/api/v1/playlists/").append(secret).append("/play/").append(c.id).append(".m3u8\n");
            }
            return Response.ok(m3u.toString(), M3U + ";charset=utf-8").header("Cache-Control", "private, no-store")
                    .header("Content-Disposition", "inline; filename=\"palisade.m3u\"").build();
        })));
    }

    @GET
    @Path("/playlists/{secret}/epg.xml")
    @Produces(MediaType.APPLICATION_XML)
    @Operation(summary = "XMLTV guide of a playlist link's lineup")
    public Uni<Response> guide(@PathParam("secret") String secret) {
        Instant now = epg.now();
        return Panache.withTransaction(() -> link(secret).chain(link -> lineups.of(link.accountId)))
                .chain(channels -> epg.programmes(channels, now.minus(epg.config().exportPast()), now.plus(epg.config().exportAhead()))
                        .map(programmes -> {
                            StringWriter out = new StringWriter();
                            Xmltv.write(out, EpgResource.guideChannels(channels), programmes, "Palisade");
                            return Response.ok(out.toString(), MediaType.APPLICATION_XML_TYPE.withCharset("UTF-8"))
                                    .header("Cache-Control", "private, max-age=300").build();
                        }));
    }

    @GET
    @Path("/playlists/{secret}/play/{channel}.m3u8")
    @Operation(summary = "Play a channel of a playlist link",
            description = "Resumes this link's running session on the channel from the same address, or starts one (same limits as"
                    + " any player), and redirects to stream-gateway with a fresh playback token.")
    public Uni<Response> play(@PathParam("secret") String secret, @PathParam("channel") String channelId) {
        String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> link(secret).chain(link -> sessions.list(
                "accountId = ?1 and deviceId = ?2 and channelId = ?3 and endedAt is null and expiresAt > ?4 order by startedAt desc",
                link.accountId, link.deviceId(), channelId, now).map(open -> new Object[] { link, open.stream()
                        .filter(s -> ip == null || ip.equals(s.clientIp)).findFirst().orElse(null) })))
                .chain(found -> {
                    PlaylistLink link = (PlaylistLink) found[0];
                    PlaybackSession running = (PlaybackSession) found[1];
                    return running != null ? playback.heartbeat(link.accountId, running.id)
                            : playback.start(new PlaybackSessionService.Viewer(link.accountId, link.deviceId(), ip), channelId);
                }).map(session -> Response.status(Response.Status.FOUND)
                        .location(URI.create(tokens.playbackUrl(tokens.issue(session), session))).header("Cache-Control", "no-store").build());
    }

    /** The active link with this secret (its last use recorded), or 404: a revoked link looks like one that never was. */
    private Uni<PlaylistLink> link(String secret) {
        if (secret == null || secret.length() < 20 || secret.length() > 100) {
            throw EntitlementProblems.notFound("Playlist");
        }
        return links.active(digest(secret)).map(link -> {
            if (link == null) {
                throw EntitlementProblems.notFound("Playlist");
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            if (link.lastUsedAt == null || link.lastUsedAt.isBefore(now.minusMinutes(1))) {
                link.lastUsedAt = now;
            }
            return link;
        });
    }

    private String base() {
        return config.issuer();
    }

    static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String attr(String value) {
        return value == null ? "" : line(value).replace('"', '\'');
    }

    private static String line(String value) {
        return value.replace('\n', ' ').replace('\r', ' ');
    }
}
