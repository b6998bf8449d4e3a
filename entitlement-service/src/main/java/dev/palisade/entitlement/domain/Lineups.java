package dev.palisade.entitlement.domain;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.repository.ChannelRepository;
import dev.palisade.entitlement.repository.EntitlementRepository;
import io.smallrye.mutiny.Uni;

/** The channels an account may watch right now, by number: the one definition the lineup, M3U and EPG share. */
@ApplicationScoped
public class Lineups {

    private final EntitlementRepository entitlements;
    private final ChannelRepository channels;

    Lineups(EntitlementRepository entitlements, ChannelRepository channels) {
        this.entitlements = entitlements;
        this.channels = channels;
    }

    /** Call within a session. */
    public Uni<List<Channel>> of(UUID accountId) {
        return entitlements.findById(accountId).chain(e -> e == null || !e.isActive()
                ? Uni.createFrom().item(List.<Channel> of())
                : channels.inPackages(e.packageIds()));
    }
}
