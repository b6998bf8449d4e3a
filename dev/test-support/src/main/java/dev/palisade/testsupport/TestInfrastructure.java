package dev.palisade.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The servers of one test JVM, started lazily and shared by every test in it: PostgreSQL, Kafka, the test OIDC
 * issuer and (on demand) S3. When the environment names an external server it is used instead of starting one:
 * <ul>
 * <li>{@code PALISADE_TEST_PG=host:port} with {@code PALISADE_TEST_PG_USER} and {@code PALISADE_TEST_PG_PASSWORD}</li>
 * <li>{@code PALISADE_TEST_KAFKA=host:port[,host:port]} (bootstrap servers)</li>
 * <li>{@code PALISADE_TEST_S3=http://host:port} with {@code PALISADE_TEST_S3_ACCESS_KEY} and {@code PALISADE_TEST_S3_SECRET_KEY}</li>
 * </ul>
 * Tests reach the running servers through the static accessors (this module is loaded parent-first by Quarkus, so
 * the test class and the test resource see the same instances), e.g. to stop and restart PostgreSQL or Kafka.
 */
public final class TestInfrastructure {

    private static final Logger LOG = Logger.getLogger(TestInfrastructure.class);

    private static Path workDirectory;
    private static PostgresServer postgres;
    private static KafkaServer kafka;
    private static OidcTestIssuer issuer;
    private static S3Server s3;
    private static S3Settings s3Settings;

    /** Where an S3 endpoint is and how to sign in to it. */
    public record S3Settings(String endpoint, String accessKey, String secretKey) {
    }

    private TestInfrastructure() {
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            String external = System.getenv("PALISADE_TEST_PG");
            if (external != null && !external.isBlank()) {
                String[] hostPort = external.trim().split(":");
                postgres = PostgresServer.external(hostPort[0], hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 5432,
                        env("PALISADE_TEST_PG_USER", "postgres"), env("PALISADE_TEST_PG_PASSWORD", "postgres"));
                LOG.infof("Tests use the PostgreSQL server at %s", external);
            } else {
                long start = System.nanoTime();
                postgres = PostgresServer.embedded(FreePorts.next(), workDirectory().resolve("postgres")).start();
                LOG.infof("Embedded PostgreSQL ready on port %d in %d ms", postgres.port(), (System.nanoTime() - start) / 1_000_000);
            }
        }
        return postgres;
    }

    public static synchronized KafkaServer kafka() {
        if (kafka == null) {
            String external = System.getenv("PALISADE_TEST_KAFKA");
            if (external != null && !external.isBlank()) {
                kafka = KafkaServer.external(external.trim());
                LOG.infof("Tests use the Kafka cluster at %s", external);
            } else {
                long start = System.nanoTime();
                kafka = KafkaServer.embedded(FreePorts.next(), FreePorts.next(), workDirectory().resolve("kafka"), 3).start();
                LOG.infof("Embedded Kafka (KRaft) ready at %s in %d ms", kafka.bootstrapServers(), (System.nanoTime() - start) / 1_000_000);
            }
        }
        return kafka;
    }

    public static synchronized OidcTestIssuer issuer() {
        if (issuer == null) {
            issuer = OidcTestIssuer.start();
        }
        return issuer;
    }

    public static synchronized S3Settings s3() {
        if (s3Settings == null) {
            String external = System.getenv("PALISADE_TEST_S3");
            if (external != null && !external.isBlank()) {
                s3Settings = new S3Settings(external.trim(), env("PALISADE_TEST_S3_ACCESS_KEY", ""), env("PALISADE_TEST_S3_SECRET_KEY", ""));
            } else {
                s3 = new S3Server(FreePorts.next(), workDirectory().resolve("s3"), "palisade-test", "palisade-test-secret").start();
                s3Settings = new S3Settings(s3.endpoint(), s3.accessKey(), s3.secretKey());
            }
        }
        return s3Settings;
    }

    /** Stops whatever this JVM started and deletes its data. External servers are left alone. */
    public static synchronized void shutdown() {
        if (issuer != null) {
            issuer.close();
            issuer = null;
        }
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
        s3Settings = null;
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        if (workDirectory != null) {
            deleteRecursively(workDirectory);
            workDirectory = null;
        }
    }

    private static Path workDirectory() {
        if (workDirectory == null) {
            try {
                workDirectory = Files.createTempDirectory("palisade-test-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary directory for test servers", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::shutdown, "palisade-test-infrastructure-stop"));
        }
        return workDirectory;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", root, e.getMessage());
        }
    }
}
