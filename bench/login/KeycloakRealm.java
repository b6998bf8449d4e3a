import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Writes the Keycloak realm of the login benchmark (realm "bench") and the CSV of its users.
 *
 * Run with Keycloak's own BouncyCastle on the class path, so the password hash is made by the same Argon2
 * implementation Keycloak verifies it with:
 *   java -cp keycloak/lib/lib/main/org.bouncycastle.bcprov-jdk18on-*.jar KeycloakRealm.java \
 *        REALM_JSON USERS_CSV USERS PASSWORD MEMORY_KIB ITERATIONS PARALLELISM
 *
 * Every user gets a password credential (Argon2id, the given cost, one hash shared by all users: verifying it costs
 * the same as a per-user hash, and making N hashes here would only slow the set-up down) and a TOTP credential
 * (HmacSHA1, 6 digits, 30 s) with its own random secret. Keycloak uses the UTF-8 bytes of the stored secret as the
 * HMAC key; the CSV holds that string.
 */
public class KeycloakRealm {

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: KeycloakRealm REALM_JSON USERS_CSV USERS PASSWORD MEMORY_KIB ITERATIONS PARALLELISM");
            System.exit(2);
        }
        Path realmFile = Path.of(args[0]);
        Path csvFile = Path.of(args[1]);
        int users = Integer.parseInt(args[2]);
        String password = args[3];
        int memory = Integer.parseInt(args[4]);
        int iterations = Integer.parseInt(args[5]);
        int parallelism = Integer.parseInt(args[6]);

        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt).withParallelism(parallelism)
                .withMemoryAsKB(memory).withIterations(iterations).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] hash = new byte[32];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);

        String passwordSecret = "{\"value\":\"" + Base64.getEncoder().encodeToString(hash) + "\",\"salt\":\""
                + Base64.getEncoder().encodeToString(salt) + "\",\"additionalParameters\":{}}";
        String passwordData = "{\"hashIterations\":" + iterations + ",\"algorithm\":\"argon2\",\"additionalParameters\":{"
                + "\"hashLength\":[\"32\"],\"memory\":[\"" + memory + "\"],\"type\":[\"id\"],\"version\":[\"1.3\"],"
                + "\"parallelism\":[\"" + parallelism + "\"]}}";
        String otpData = "{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,\"algorithm\":\"HmacSHA1\"}";

        StringBuilder json = new StringBuilder();
        StringBuilder csv = new StringBuilder("username,password,otpSecretUtf8,lastStep\n");
        json.append("{\n\"realm\":\"bench\",\"enabled\":true,\"sslRequired\":\"none\",\"bruteForceProtected\":false,\n")
                .append("\"passwordPolicy\":\"hashAlgorithm(argon2)\",\n")
                .append("\"otpPolicyType\":\"totp\",\"otpPolicyAlgorithm\":\"HmacSHA1\",\"otpPolicyDigits\":6,")
                .append("\"otpPolicyPeriod\":30,\"otpPolicyLookAheadWindow\":1,\"otpPolicyCodeReusable\":false,\n")
                .append("\"clients\":[{\"clientId\":\"bench\",\"enabled\":true,\"publicClient\":true,")
                .append("\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false}],\n")
                .append("\"users\":[\n");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < users; i++) {
            String name = String.format("user%05d", i);
            StringBuilder secret = new StringBuilder();
            for (int k = 0; k < 20; k++) {
                secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            json.append(i == 0 ? "" : ",\n")
                    .append("{\"username\":\"").append(name).append("\",\"email\":\"").append(name)
                    .append("@bench.test\",\"emailVerified\":true,\"firstName\":\"Bench\",\"lastName\":\"User\",")
                    .append("\"enabled\":true,\"credentials\":[")
                    .append("{\"type\":\"password\",\"secretData\":").append(quote(passwordSecret))
                    .append(",\"credentialData\":").append(quote(passwordData)).append("},")
                    .append("{\"type\":\"otp\",\"userLabel\":\"bench\",\"secretData\":")
                    .append(quote("{\"value\":\"" + secret + "\"}"))
                    .append(",\"credentialData\":").append(quote(otpData)).append("}]}");
            csv.append(name).append(',').append(password).append(',').append(secret).append(",0\n");
        }
        json.append("\n]\n}\n");
        Files.createDirectories(realmFile.toAbsolutePath().getParent());
        Files.writeString(realmFile, json);
        Files.writeString(csvFile, csv);
        System.out.println("wrote realm 'bench' with " + users + " users to " + realmFile);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
