package dev.palisade.entitlement.repository;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.entitlement.domain.Channel;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ChannelRepository implements PanacheRepositoryBase<Channel, String> {

    public Uni<List<Channel>> ordered() {
        return list("order by number");
    }

    /** Another channel than {@code exceptId} with this number, or null. */
    public Uni<Channel> numberTakenBy(int number, String exceptId) {
        return find("number = ?1 and id <> ?2", number, exceptId).firstResult();
    }

    /** Channels of the given packages, by channel number. */
    public Uni<List<Channel>> inPackages(Collection<String> packageIds) {
        if (packageIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("select distinct c from ChannelPackage p join p.channels c where p.id in ?1 order by c.number", packageIds);
    }

    public Uni<Boolean> isInPackages(String channelId, Collection<String> packageIds) {
        if (packageIds.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return count("select count(c) from ChannelPackage p join p.channels c where p.id in ?1 and c.id = ?2", packageIds, channelId)
                .map(n -> n > 0);
    }
}
