package dev.palisade.auth.repository;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import dev.palisade.auth.domain.LoginThrottle;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class LoginThrottleRepository implements PanacheRepositoryBase<LoginThrottle, LoginThrottle.Key> {

    /** The counter row of a subject, created if missing, locked for the rest of the transaction. */
    public Uni<LoginThrottle> lockOrCreate(String scope, String subject, OffsetDateTime now) {
        return getSession().chain(s -> s.createNativeQuery("INSERT INTO login_throttle (scope, subject, failures, window_start, lockouts)"
                + " VALUES (:scope, :subject, 0, :now, 0) ON CONFLICT (scope, subject) DO NOTHING")
                .setParameter("scope", scope).setParameter("subject", subject).setParameter("now", now)
                .executeUpdate())
                .chain(() -> findById(new LoginThrottle.Key(scope, subject), LockModeType.PESSIMISTIC_WRITE));
    }

    /** Blocks in force for any of the given (scope, subject) pairs. */
    public Uni<List<LoginThrottle>> blocking(List<LoginThrottle.Key> keys, OffsetDateTime now) {
        StringBuilder where = new StringBuilder("blockedUntil > ?1 and (");
        Object[] params = new Object[1 + keys.size() * 2];
        params[0] = now;
        for (int i = 0; i < keys.size(); i++) {
            where.append(i == 0 ? "" : " or ").append("(scope = ?").append(2 + 2 * i).append(" and subject = ?").append(3 + 2 * i).append(')');
            params[1 + 2 * i] = keys.get(i).scope;
            params[2 + 2 * i] = keys.get(i).subject;
        }
        return list(where.append(')').toString(), params);
    }
}
