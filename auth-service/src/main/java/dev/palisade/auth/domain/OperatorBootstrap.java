package dev.palisade.auth.domain;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.palisade.auth.config.AuthConfig;
import dev.palisade.auth.repository.AccountRepository;
import dev.palisade.auth.security.PasswordHasher;
import dev.palisade.auth.security.PasswordPolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The first operator of a fresh installation: when {@code palisade.auth.bootstrap-operator.email} and
 * {@code .password} are set and no account has that address, it is created with roles subscriber, operator and
 * admin. Operator actions need aal2, so that operator enrols TOTP on first sign-in. An existing account is never
 * changed, so the settings can stay in place. Service clients listed in {@code palisade.auth.bootstrap-clients} are
 * made to exist with the configured secret.
 */
@ApplicationScoped
public class OperatorBootstrap {

    private static final Logger LOG = Logger.getLogger(OperatorBootstrap.class);

    private final AuthConfig config;
    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final ServiceClients serviceClients;

    OperatorBootstrap(AuthConfig config, AccountRepository accounts, PasswordHasher hasher, PasswordPolicy policy,
            ServiceClients serviceClients) {
        this.config = config;
        this.serviceClients = serviceClients;
        this.accounts = accounts;
        this.hasher = hasher;
        this.policy = policy;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        bootstrapClients();
        AuthConfig.BootstrapOperator bootstrap = config.bootstrapOperator();
        if (bootstrap.email().isEmpty() || bootstrap.password().isEmpty()) {
            return;
        }
        String email = EmailAddress.normalise(bootstrap.email().get()).orElseThrow(() -> new IllegalStateException(
                "palisade.auth.bootstrap-operator.email is not a valid e-mail address"));
        policy.problem(bootstrap.password().get(), email).ifPresent(problem -> {
            throw new IllegalStateException("palisade.auth.bootstrap-operator.password " + problem);
        });
        String hash = hasher.hash(bootstrap.password().get());
        boolean created = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> accounts.findByEmail(email)
                .chain(existing -> {
                    if (existing != null) {
                        return io.smallrye.mutiny.Uni.createFrom().item(false);
                    }
                    Account account = Account.register(email, hash, OffsetDateTime.now(ZoneOffset.UTC));
                    account.roles = "subscriber,operator,admin";
                    return accounts.persist(account).replaceWith(true);
                })));
        if (created) {
            LOG.infof("Bootstrap operator %s created (roles subscriber, operator, admin); enrol TOTP before using operator actions", email);
        }
    }

    /** {@code palisade.auth.bootstrap-clients}: service clients (e.g. stream-gateway on a dev stack) that must exist. */
    private void bootstrapClients() throws Throwable {
        for (String entry : config.bootstrapClients().orElse(java.util.List.of())) {
            String[] parts = entry.trim().split(":", -1);
            String id = parts[0].trim();
            String secret = parts.length > 1 ? parts[1].trim() : "";
            String roles = parts.length > 2 ? String.join(",", java.util.Arrays.stream(parts[2].split("\\+")).map(String::trim)
                    .filter(r -> !r.isEmpty()).toList()) : "service";
            if (parts.length > 3 || !id.matches("[a-z0-9][a-z0-9-]{0,62}") || secret.length() < 32 || !roles.matches("[a-z]+(,[a-z]+)*")) {
                throw new IllegalStateException("palisade.auth.bootstrap-clients entries must be 'client-id:secret[:role+role]' with a secret"
                        + " of at least 32 characters (entry for '" + id + "')");
            }
            boolean changed = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> serviceClients.ensure(id, secret, roles)));
            if (changed) {
                LOG.infof("Bootstrap service client %s registered (roles %s)", id, roles);
            }
        }
    }
}
