package dev.palisade.auth.repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.domain.LoginEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LoginEventRepository implements PanacheRepository<LoginEvent> {

    public Uni<List<LoginEvent>> recent(UUID accountId, int limit) {
        return find("accountId = ?1 order by at desc, id desc", accountId).page(0, limit).list();
    }

    /** Successful sign-ins of the account so far, and how many of them came from this device (or network and agent). */
    public Uni<long[]> priorSuccesses(UUID accountId, String deviceId, String network, String userAgent) {
        Uni<Long> all = count("accountId = ?1 and outcome = 'succeeded'", accountId);
        Uni<Long> same = deviceId != null
                ? count("accountId = ?1 and outcome = 'succeeded' and deviceId = ?2", accountId, deviceId)
                : count("accountId = ?1 and outcome = 'succeeded' and network = ?2 and userAgent = ?3", accountId, network,
                        userAgent == null ? "" : userAgent);
        return all.chain(total -> same.map(matching -> new long[] { total, matching }));
    }

    public Uni<Long> deleteOlderThan(OffsetDateTime cutoff) {
        return delete("at < ?1", cutoff);
    }
}
