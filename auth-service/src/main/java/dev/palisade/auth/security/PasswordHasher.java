package dev.palisade.auth.security;

import jakarta.enterprise.context.ApplicationScoped;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

import dev.palisade.auth.config.AuthConfig;

/**
 * Argon2id password hashes as PHC strings (Password4j). Verification reads the cost from the stored hash, so a
 * cost change in config applies to new hashes and {@link #needsRehash} tells when an old one should be replaced.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2Function current;
    /** A hash of a random password, checked when no account matches so that timing does not tell. */
    private final String decoy;

    PasswordHasher(AuthConfig config) {
        AuthConfig.Password p = config.password();
        this.current = Argon2Function.getInstance(p.argon2MemoryKib(), p.argon2Iterations(), p.argon2Parallelism(),
                HASH_BYTES, Argon2.ID);
        this.decoy = hash(java.util.UUID.randomUUID().toString());
    }

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(SALT_BYTES).with(current).getResult();
    }

    public boolean verify(String password, String phcHash) {
        Argon2Function stored = Argon2Function.getInstanceFromHash(phcHash);
        return Password.check(password, phcHash).with(stored);
    }

    /** Spends the same effort as a real verification, for unknown accounts. Always false. */
    public boolean verifyDecoy(String password) {
        verify(password, decoy);
        return false;
    }

    public boolean needsRehash(String phcHash) {
        Argon2Function stored = Argon2Function.getInstanceFromHash(phcHash);
        return stored.getMemory() != current.getMemory() || stored.getIterations() != current.getIterations()
                || stored.getParallelism() != current.getParallelism() || stored.getVariant() != Argon2.ID;
    }
}
