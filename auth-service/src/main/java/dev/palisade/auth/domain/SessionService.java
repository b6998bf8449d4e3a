package dev.palisade.auth.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.config.AuthConfig;
import dev.palisade.auth.messaging.AuthEvents;
import dev.palisade.auth.messaging.Outbox;
import dev.palisade.auth.repository.AccountRepository;
import dev.palisade.auth.repository.AuthSessionRepository;
import dev.palisade.auth.repository.LoginEventRepository;
import dev.palisade.auth.repository.RefreshTokenRepository;
import dev.palisade.auth.security.AccessTokenIssuer;
import dev.palisade.auth.security.OpaqueTokens;
import io.smallrye.mutiny.Uni;

/**
 * Sessions and their tokens: a session per sign-in and device; short-lived access tokens; opaque refresh tokens
 * that rotate on every use. Presenting a refresh token a second time revokes the whole session (token family), since
 * either the client or a thief holds a copy that should not exist.
 */
@ApplicationScoped
public class SessionService {

    /** Why a refresh was refused (answered as {@code invalid_grant} to the client). */
    public static class RefreshRefused extends RuntimeException {
        public RefreshRefused(String reason) {
            super(reason);
        }
    }

    private final AuthSessionRepository sessions;
    private final LoginEventRepository loginEvents;
    private final RefreshTokenRepository refreshTokens;
    private final AccountRepository accounts;
    private final AccessTokenIssuer issuer;
    private final Outbox outbox;
    private final AuthConfig config;
    private final Clock clock = Clock.systemUTC();

    SessionService(AuthSessionRepository sessions, LoginEventRepository loginEvents, RefreshTokenRepository refreshTokens,
            AccountRepository accounts, AccessTokenIssuer issuer, Outbox outbox, AuthConfig config) {
        this.sessions = sessions;
        this.loginEvents = loginEvents;
        this.refreshTokens = refreshTokens;
        this.accounts = accounts;
        this.issuer = issuer;
        this.outbox = outbox;
        this.config = config;
    }

    /** Starts a session for a completed sign-in and issues its first tokens. Call in a transaction. */
    public Uni<TokenPair> start(Account account, String acr, List<String> amr, ClientContext client) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        AuthSession session = new AuthSession();
        session.id = UUID.randomUUID();
        session.accountId = account.id;
        session.acr = acr;
        session.amr = String.join(",", amr);
        session.deviceId = client.deviceId();
        session.userAgent = client.userAgent();
        session.ip = client.ip();
        session.createdAt = now;
        session.lastSeenAt = now;
        return loginEvents.priorSuccesses(account.id, client.deviceId(), client.network(), client.userAgent())
                .call(prior -> prior[0] > 0 && prior[1] == 0
                        ? outbox.enqueue(account.id.toString(), AuthEvents.LOGIN_NEW_DEVICE, new AuthEvents.LoginSucceeded(
                                account.id.toString(), session.id.toString(), acr, client(client), now.toInstant()))
                        : Uni.createFrom().voidItem())
                .chain(() -> sessions.persist(session))
                .call(s -> loginEvents.persist(LoginEvent.of(account.id, "succeeded", null, acr, client, now)))
                .chain(s -> outbox.enqueue(account.id.toString(), AuthEvents.LOGIN_SUCCEEDED, new AuthEvents.LoginSucceeded(
                        account.id.toString(), s.id.toString(), acr, client(client), now.toInstant())))
                .chain(() -> tokens(account, session, now));
    }

    /** Rotates a refresh token. Call in a transaction; a refusal after reuse still commits the revocation. */
    public Uni<Object> refresh(String presented) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return refreshTokens.findForUpdate(OpaqueTokens.digest(presented == null ? "" : presented)).chain(token -> {
            if (token == null) {
                return Uni.createFrom().item(new RefreshRefused("unknown refresh token"));
            }
            return sessions.findById(token.sessionId).chain(session -> {
                if (session == null || !session.isActive()) {
                    return Uni.createFrom().item(new RefreshRefused("session ended"));
                }
                if (token.usedAt != null) {
                    return revoke(session, "refresh_token_reuse", now).replaceWith(new RefreshRefused("refresh token reused; session revoked"));
                }
                if (token.expiresAt.isBefore(now)) {
                    return Uni.createFrom().item(new RefreshRefused("refresh token expired"));
                }
                token.usedAt = now;
                session.lastSeenAt = now;
                return accounts.findById(session.accountId).chain(account -> account == null || account.locked
                        ? Uni.createFrom().item(new RefreshRefused("account locked"))
                        : tokens(account, session, now).map(pair -> (Object) pair));
            });
        });
    }

    /** Ends a session of {@code accountId}; false when it is not theirs or does not exist. */
    public Uni<Boolean> revokeOwn(UUID accountId, UUID sessionId, String reason) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.findById(sessionId).chain(session -> {
            if (session == null || !session.accountId.equals(accountId)) {
                return Uni.createFrom().item(false);
            }
            return revoke(session, reason, now).replaceWith(true);
        });
    }

    /** Ends every active session of an account (lock, security action, password change). */
    public Uni<Integer> revokeAll(UUID accountId, String reason) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        return sessions.active(accountId).chain(list -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (AuthSession session : list) {
                chain = chain.chain(() -> revoke(session, reason, now));
            }
            return chain.replaceWith(list.size());
        });
    }

    public Uni<List<AuthSession>> active(UUID accountId) {
        return sessions.active(accountId);
    }

    public Uni<Boolean> isActive(UUID sessionId) {
        return sessions.findById(sessionId).map(s -> s != null && s.isActive());
    }

    private Uni<Void> revoke(AuthSession session, String reason, OffsetDateTime now) {
        if (!session.isActive()) {
            return Uni.createFrom().voidItem();
        }
        session.revoke(reason, now);
        return outbox.enqueue(session.accountId.toString(), AuthEvents.SESSION_REVOKED, new AuthEvents.SessionRevoked(
                session.accountId.toString(), session.id.toString(), reason, now.toInstant())).replaceWithVoid();
    }

    private Uni<TokenPair> tokens(Account account, AuthSession session, OffsetDateTime now) {
        String refresh = OpaqueTokens.newToken();
        RefreshToken row = new RefreshToken();
        row.tokenHash = OpaqueTokens.digest(refresh);
        row.sessionId = session.id;
        row.issuedAt = now;
        row.expiresAt = now.plus(config.refreshTokenLifetime());
        AccessTokenIssuer.IssuedToken access = issuer.issue(account.id.toString(), session.id.toString(),
                List.copyOf(account.roleSet()), Arrays.asList(session.amr.split(",")), session.acr);
        return refreshTokens.persist(row).map(r -> new TokenPair(access.token(), access.lifetime().toSeconds(), refresh,
                session.id.toString(), session.acr));
    }

    static AuthEvents.Client client(ClientContext c) {
        return new AuthEvents.Client(c.ip(), c.network(), c.userAgent(), c.deviceId(), c.country());
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
