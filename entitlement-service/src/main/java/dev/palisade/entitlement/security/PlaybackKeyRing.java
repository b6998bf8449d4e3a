package dev.palisade.entitlement.security;

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

import dev.palisade.entitlement.config.PlaybackConfig;
import dev.palisade.entitlement.domain.PlaybackSigningKey;
import dev.palisade.entitlement.repository.PlaybackSigningKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The playback-token signing keys (ES256, P-256), verified offline by stream-gateway. Three are published in the JWKS at any time: the previous key (tokens it
 * signed are still valid), the current key (signs), and the next key (published a whole period before it signs, so
 * every verifier has it cached when it takes over). Rotation runs on a schedule under a database lock, and every
 * replica reloads the ring from the database, so they all sign with the same key.
 */
@ApplicationScoped
public class PlaybackKeyRing {

    private static final Logger LOG = Logger.getLogger(PlaybackKeyRing.class);

    /** The key that signs now. */
    public record ActiveKey(String kid, PrivateKey privateKey) {
    }

    private final PlaybackSigningKeyRepository repository;
    private final SecretCipher cipher;
    private final PlaybackConfig config;
    private final Clock clock = Clock.systemUTC();
    private volatile ActiveKey active;
    private volatile String jwks = "{\"keys\":[]}";

    PlaybackKeyRing(PlaybackSigningKeyRepository repository, SecretCipher cipher, PlaybackConfig config) {
        this.repository = repository;
        this.cipher = cipher;
        this.config = config;
    }

    void onStart(@jakarta.enterprise.event.Observes StartupEvent event) throws Throwable {
        // Playback tokens cannot be issued without a key: load (or create) the ring before serving.
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
            PlaybackSigningKey current = find(keys, PlaybackSigningKey.CURRENT);
            PlaybackSigningKey next = find(keys, PlaybackSigningKey.NEXT);
            PlaybackSigningKey previous = find(keys, PlaybackSigningKey.PREVIOUS);
            List<PlaybackSigningKey> changes = new ArrayList<>();
            if (current == null) {
                current = next != null ? next : newKey(now);
                current.status = PlaybackSigningKey.CURRENT;
                current.activatedAt = now;
                next = null;
                changes.add(current);
            } else if (force || current.activatedAt.plus(config.signingKeyRotation()).isBefore(now)) {
                if (previous != null) {
                    previous.status = PlaybackSigningKey.RETIRED;
                    previous.retiredAt = now;
                }
                current.status = PlaybackSigningKey.PREVIOUS;
                PlaybackSigningKey promoted = next != null ? next : newKey(now);
                promoted.status = PlaybackSigningKey.CURRENT;
                promoted.activatedAt = now;
                changes.add(promoted);
                LOG.infof("Playback signing key rotated: %s now signs, %s verifies only", promoted.kid, current.kid);
                next = null;
            }
            if (next == null) {
                PlaybackSigningKey fresh = newKey(now);
                changes.add(fresh);
            }
            // One session: persist sequentially (entities already loaded are updated on flush).
            return changes.isEmpty() ? Uni.createFrom().voidItem() : repository.persist(changes.stream().distinct().toList());
        })).chain(() -> Panache.withSession(repository::published)).invoke(this::load).replaceWithVoid();
    }

    private void load(List<PlaybackSigningKey> keys) {
        List<JsonWebKey> publicKeys = new ArrayList<>();
        for (PlaybackSigningKey key : keys) {
            try {
                publicKeys.add(JsonWebKey.Factory.newJwk(key.publicJwk));
            } catch (JoseException e) {
                throw new IllegalStateException("Stored public key " + key.kid + " is not a JWK", e);
            }
            if (PlaybackSigningKey.CURRENT.equals(key.status)) {
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

    private PlaybackSigningKey newKey(OffsetDateTime now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey((ECPublicKey) pair.getPublic());
            PlaybackSigningKey key = new PlaybackSigningKey();
            key.kid = UUID.randomUUID().toString();
            jwk.setKeyId(key.kid);
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            key.publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            SecretCipher.Sealed sealed = cipher.seal(pair.getPrivate().getEncoded());
            key.privateCipher = sealed.ciphertext();
            key.privateKeyId = sealed.keyId();
            key.status = PlaybackSigningKey.NEXT;
            key.createdAt = now;
            return key;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation failed", e);
        }
    }

    private static PlaybackSigningKey find(List<PlaybackSigningKey> keys, String status) {
        return keys.stream().filter(k -> status.equals(k.status)).findFirst().orElse(null);
    }
}
