import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * The cost of one Argon2id hash in each library, single-threaded, in one JVM: Password4j (what Palisade uses) and
 * BouncyCastle (what Keycloak uses). Context for the login benchmark, not part of it.
 *   java -cp PASSWORD4J.jar:SLF4J_API.jar:BCPROV.jar bench/login/Argon2Cost.java MEMORY_KIB ITERATIONS ROUNDS
 */
public class Argon2Cost {

    public static void main(String[] args) {
        int memory = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String password = "amber-falcon-quartz-71";
        byte[] salt = new byte[16];
        Argon2Function p4j = Argon2Function.getInstance(memory, iterations, 1, 32, Argon2.ID);
        Argon2Parameters bcParams = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt).withParallelism(1).withMemoryAsKB(memory)
                .withIterations(iterations).build();
        // Alternate the libraries round by round, so machine load drifts hit both alike; the first third is warm-up.
        long p4jNanos = 0, bcNanos = 0;
        int measured = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            Password.hash(password).addSalt(salt).with(p4j).getResult();
            long t1 = System.nanoTime();
            Argon2BytesGenerator g = new Argon2BytesGenerator();
            g.init(bcParams);
            byte[] out = new byte[32];
            g.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
            long t2 = System.nanoTime();
            if (r >= rounds / 3) {
                p4jNanos += t1 - t0;
                bcNanos += t2 - t1;
                measured++;
            }
        }
        System.out.printf(java.util.Locale.ROOT, "argon2id m=%d KiB t=%d p=1, %d measured rounds: password4j %.1f ms/hash, bouncycastle %.1f ms/hash%n",
                memory, iterations, measured, p4jNanos / 1e6 / measured, bcNanos / 1e6 / measured);
    }
}
