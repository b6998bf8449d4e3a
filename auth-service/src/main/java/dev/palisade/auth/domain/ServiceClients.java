package dev.palisade.auth.domain;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.palisade.auth.api.AuthProblems;
import dev.palisade.auth.repository.ServiceClientRepository;
import dev.palisade.auth.security.AccessTokenIssuer;
import dev.palisade.auth.security.OpaqueTokens;
import io.smallrye.mutiny.Uni;

/** Service clients and the OAuth 2.0 client-credentials grant (tokens with role {@code service}, no session). */
@ApplicationScoped
public class ServiceClients {

    private final ServiceClientRepository clients;
    private final AccessTokenIssuer issuer;
    private final Clock clock = Clock.systemUTC();

    ServiceClients(ServiceClientRepository clients, AccessTokenIssuer issuer) {
        this.clients = clients;
        this.issuer = issuer;
    }

    /** Registers a client and answers its secret (shown once; only a digest is kept). */
    public Uni<String> create(String clientId) {
        return clients.findById(clientId).chain(existing -> {
            if (existing != null) {
                throw AuthProblems.conflict("client-exists", "A service client '" + clientId + "' exists already.");
            }
            String secret = OpaqueTokens.newToken();
            ServiceClient client = new ServiceClient();
            client.clientId = clientId;
            client.secretHash = OpaqueTokens.digest(secret);
            client.roles = "service";
            client.createdAt = OffsetDateTime.now(clock);
            return clients.persist(client).replaceWith(secret);
        });
    }

    /**
     * Makes sure a client exists with this secret (bootstrap from configuration): created when missing, its secret
     * replaced when different. Answers whether anything changed.
     */
    public Uni<Boolean> ensure(String clientId, String secret, String roles) {
        String hash = OpaqueTokens.digest(secret);
        return clients.findById(clientId).chain(existing -> {
            if (existing == null) {
                ServiceClient client = new ServiceClient();
                client.clientId = clientId;
                client.secretHash = hash;
                client.roles = roles;
                client.createdAt = OffsetDateTime.now(clock);
                return clients.persist(client).replaceWith(true);
            }
            if (hash.equals(existing.secretHash) && existing.disabledAt == null && roles.equals(existing.roles)) {
                return Uni.createFrom().item(false);
            }
            existing.secretHash = hash;
            existing.roles = roles;
            existing.disabledAt = null;
            return Uni.createFrom().item(true);
        });
    }

    /** A token for valid, enabled client credentials; empty otherwise. */
    public Uni<Optional<AccessTokenIssuer.IssuedToken>> token(String clientId, String secret) {
        if (clientId == null || secret == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return clients.findById(clientId).map(client -> {
            byte[] presented = OpaqueTokens.digest(secret).getBytes(StandardCharsets.US_ASCII);
            byte[] expected = client == null ? new byte[presented.length] : client.secretHash.getBytes(StandardCharsets.US_ASCII);
            boolean valid = MessageDigest.isEqual(presented, expected) && client != null && client.disabledAt == null;
            return valid ? Optional.of(issuer.issue(client.clientId, null, client.roleList(), List.of(), null)) : Optional.empty();
        });
    }
}
