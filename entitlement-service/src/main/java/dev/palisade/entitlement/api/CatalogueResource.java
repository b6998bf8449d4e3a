package dev.palisade.entitlement.api;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.palisade.entitlement.domain.Channel;
import dev.palisade.entitlement.domain.ChannelPackage;
import dev.palisade.entitlement.domain.Lineups;
import dev.palisade.entitlement.repository.ChannelPackageRepository;
import dev.palisade.entitlement.repository.ChannelRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** The channel catalogue (operators) and the lineup a subscriber is entitled to. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CatalogueResource {

    public record ChannelRequest(@NotBlank @Size(max = 120) String name, @Size(max = 500) String logoUrl,
            @Size(max = 60) String category, @Min(1) @Max(99999) int number, @Size(max = 120) String epgId,
            @NotEmpty @Size(max = 8) List<@Pattern(regexp = "https?://\\S+") String> origins,
            @Min(60) @Max(86400) Integer keyRotationSeconds) {
    }

    public record ChannelView(String id, String name, String logoUrl, String category, int number, String epgId, List<String> origins,
            int keyRotationSeconds) {
        static ChannelView of(Channel c) {
            return new ChannelView(c.id, c.name, c.logoUrl, c.category, c.number, c.epgId, c.originList(), c.keyRotationSeconds);
        }
    }

    /** What a subscriber's app shows: no origins, those stay behind the gateway. */
    public record LineupEntry(String id, String name, String logoUrl, String category, int number, String epgId) {
    }

    public record PackageRequest(@NotBlank @Size(max = 120) String name, @NotNull @Size(max = 2000) List<@NotBlank String> channels) {
    }

    public record PackageView(String id, String name, List<String> channels) {
    }

    private static final String SLUG = "[a-z0-9][a-z0-9-]{0,62}";

    private final ChannelRepository channels;
    private final ChannelPackageRepository packages;
    private final Lineups lineups;

    @Inject
    JsonWebToken jwt;

    CatalogueResource(ChannelRepository channels, ChannelPackageRepository packages, Lineups lineups) {
        this.channels = channels;
        this.packages = packages;
        this.lineups = lineups;
    }

    @PUT
    @Path("/catalogue/channels/{id}")
    @RolesAllowed("operator")
    @WithTransaction
    @Operation(summary = "Create or replace a channel", description = "409 channel-number-taken when another channel has the number.")
    public Uni<ChannelView> putChannel(@PathParam("id") @Pattern(regexp = SLUG) String id, @Valid @NotNull ChannelRequest body) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return channels.numberTakenBy(body.number(), id).chain(taken -> {
            if (taken != null) {
                throw EntitlementProblems.conflict("channel-number-taken", "Channel number taken",
                        "Number " + body.number() + " belongs to channel '" + taken.id + "'; give this channel another number.");
            }
            return channels.findById(id);
        }).chain(existing -> {
            Channel c = existing != null ? existing : new Channel();
            c.id = id;
            c.name = body.name();
            c.logoUrl = body.logoUrl();
            c.category = body.category() == null || body.category().isBlank() ? "General" : body.category();
            c.number = body.number();
            c.epgId = body.epgId();
            c.origins = String.join("\n", body.origins());
            c.keyRotationSeconds = body.keyRotationSeconds() == null ? 3600 : body.keyRotationSeconds();
            c.updatedAt = now;
            if (existing == null) {
                c.createdAt = now;
                return channels.persist(c);
            }
            return Uni.createFrom().item(c);
        }).map(ChannelView::of);
    }

    @GET
    @Path("/catalogue/channels")
    @RolesAllowed("operator")
    @WithSession
    @Operation(summary = "All channels, by number")
    public Uni<List<ChannelView>> listChannels() {
        return channels.ordered().map(list -> list.stream().map(ChannelView::of).toList());
    }

    @PUT
    @Path("/catalogue/packages/{id}")
    @RolesAllowed("operator")
    @WithTransaction
    @Operation(summary = "Create or replace a channel package")
    public Uni<PackageView> putPackage(@PathParam("id") @Pattern(regexp = SLUG) String id, @Valid @NotNull PackageRequest body) {
        return channels.list("id in ?1", body.channels()).chain(found -> {
            if (found.size() != new LinkedHashSet<>(body.channels()).size()) {
                List<String> known = found.stream().map(c -> c.id).toList();
                String missing = body.channels().stream().filter(c -> !known.contains(c)).findFirst().orElse("?");
                throw EntitlementProblems.invalid("channels", "names an unknown channel: " + missing);
            }
            return packages.findById(id).chain(existing -> {
                ChannelPackage p = existing != null ? existing : new ChannelPackage();
                p.id = id;
                p.name = body.name();
                p.channels.clear();
                p.channels.addAll(found);
                if (existing == null) {
                    p.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return packages.persist(p);
                }
                return Uni.createFrom().item(p);
            });
        }).map(p -> new PackageView(p.id, p.name, p.channels.stream().map(c -> c.id).sorted().toList()));
    }

    @GET
    @Path("/lineup")
    @RolesAllowed("**")
    @WithSession
    @Operation(summary = "My channel lineup", description = "The channels my subscription includes, by number.")
    public Uni<List<LineupEntry>> lineup() {
        return lineups.of(AccountIds.of(jwt)).map(list -> list.stream().map(c -> new LineupEntry(c.id, c.name, c.logoUrl, c.category, c.number, c.epgId)).toList());
    }
}
