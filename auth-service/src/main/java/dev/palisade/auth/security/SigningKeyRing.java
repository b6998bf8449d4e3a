package dev.palisade.auth.security;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

import dev.palisade.auth.config.AuthConfig;
import dev.palisade.auth.domain.SigningKey;
import dev.palisade.auth.repository.SigningKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The token signing keys (ES256, P-256). Three are published in the JWKS at any time: the previous key (tokens it
 * signed are still valid), the current key (signs), and the next key (published a whole period before it signs, so
 * every verifier has it cached when it takes over). Rotation runs on a schedule under a database lock, and every
 * replica reloads the ring from the database, so they all sign with the same key.
 */
@ApplicationScoped
public class SigningKeyRing {

    private static final Logger LOG = Logger.getLogger(SigningKeyRing.class);

    /** The key that signs now. */
    public record ActiveKey(String kid, PrivateKey privateKey) {
    }

    private final SigningKeyRepository repository;
    private final SecretCipher cipher;
    private final AuthConfig config;
    private final Clock clock = Clock.systemUTC();
    private volatile ActiveKey active;
    private volatile String jwks = "{\"keys\":[]}";

    SigningKeyRing(SigningKeyRepository repository, SecretCipher cipher, AuthConfig config) {
        this.repository = repository;
        this.cipher = cipher;
        this.config = config;
    }

    void onStart(@jakarta.enterprise.event.Observes StartupEvent event) throws Throwable {
        // Tokens cannot be issued without a key: load (or create) the ring before serving.
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(this::rotateIfDue);
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return rotateIfDue().onFailure().invoke(e -> LOG.errorf("Signing key check failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    public ActiveKey active() {
        ActiveKey key = active;
        if (key == null) {
            throw new IllegalStateException("No signing key loaded yet");
        }
        return key;
    }

    /** The published JWK set (public halves of previous, current and next keys). */
    public String jwks() {
        return jwks;
    }

    /** Ensures a current and a next key exist, rotates when the current one is older than the period, reloads. */
    public Uni<Void> rotateIfDue() {
        return rotate(false);
    }

    /** Rotates now (operator action); answers the id of the key that signs from now on. */
    public Uni<String> rotateNow() {
        return rotate(true).map(ignored -> active().kid());
    }

    private Uni<Void> rotate(boolean force) {
        return Panache.withTransaction(() -> repository.lockRotation().chain(repository::published).chain(keys -> {
            OffsetDateTime now = OffsetDateTime.now(clock);
            SigningKey current = find(keys, SigningKey.CURRENT);
            SigningKey next = find(keys, SigningKey.NEXT);
            SigningKey previous = find(keys, SigningKey.PREVIOUS);
            List<SigningKey> changes = new ArrayList<>();
            if (current == null) {
                current = next != null ? next : newKey(now);
                current.status = SigningKey.CURRENT;
                current.activatedAt = now;
                next = null;
                changes.add(current);
            } else if (force || current.activatedAt.plus(config.signingKeys().rotationPeriod()).isBefore(now)) {
                if (previous != null) {
                    previous.status = SigningKey.RETIRED;
                    previous.retiredAt = now;
                }
                current.status = SigningKey.PREVIOUS;
                SigningKey promoted = next != null ? next : newKey(now);
                promoted.status = SigningKey.CURRENT;
                promoted.activatedAt = now;
                changes.add(promoted);
                LOG.infof("Signing key rotated: %s now signs, %s verifies only", promoted.kid, current.kid);
                next = null;
            }
            if (next == null) {
                SigningKey fresh = newKey(now);
                changes.add(fresh);
            }
            // One session: persist sequentially (entities already loaded are updated on flush).
            return changes.isEmpty() ? Uni.createFrom().voidItem() : repository.persist(changes.stream().distinct().toList());
        })).chain(() -> Panache.withSession(repository::published)).invoke(this::load).replaceWithVoid();
    }

    private void load(List<SigningKey> keys) {
        List<JsonWebKey> publicKeys = new ArrayList<>();
        for (SigningKey key : keys) {
            try {
                publicKeys.add(JsonWebKey.Factory.newJwk(key.publicJwk));
            } catch (JoseException e) {
                throw new IllegalStateException("Stored public key " + key.kid + " is not a JWK", e);
            }
            if (SigningKey.CURRENT.equals(key.status)) {
                byte[] pkcs8 = cipher.open(new SecretCipher.Sealed(key.privateKeyId, key.privateCipher));
                try {
                    PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                    active = new ActiveKey(key.kid, privateKey);
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException("Stored private key " + key.kid + " cannot be read", e);
                }
            }
        }
        jwks = new JsonWebKeySet(publicKeys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private SigningKey newKey(OffsetDateTime now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey((ECPublicKey) pair.getPublic());
            SigningKey key = new SigningKey();
            key.kid = UUID.randomUUID().toString();
            jwk.setKeyId(key.kid);
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            key.publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            SecretCipher.Sealed sealed = cipher.seal(pair.getPrivate().getEncoded());
            key.privateCipher = sealed.ciphertext();
            key.privateKeyId = sealed.keyId();
            key.status = SigningKey.NEXT;
            key.createdAt = now;
            return key;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation failed", e);
        }
    }

    private static SigningKey find(List<SigningKey> keys, String status) {
        return keys.stream().filter(k -> status.equals(k.status)).findFirst().orElse(null);
    }
}
