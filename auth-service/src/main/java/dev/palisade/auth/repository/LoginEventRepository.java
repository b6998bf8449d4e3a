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

    public Uni<Long> deleteOlderThan(OffsetDateTime cutoff) {
        return delete("at < ?1", cutoff);
    }
}
