package dev.palisade.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} real infrastructure: a PostgreSQL database of its own (init arg {@code database}),
 * a Kafka broker, the test OIDC issuer (unless init arg {@code oidc=false}: auth-service is its own issuer), and, with
 * init arg {@code s3=true}, an S3 endpoint. It hands Quarkus the
 * connection settings as configuration, so the service runs exactly as configured in production, minus the URLs.
 */
public class PalisadeTestResource implements QuarkusTestResourceLifecycleManager {

    private String database;
    private boolean s3;
    private boolean oidc;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("PalisadeTestResource needs the init arg 'database' (the service's database name)");
        }
        s3 = Boolean.parseBoolean(initArgs.getOrDefault("s3", "false"));
        oidc = Boolean.parseBoolean(initArgs.getOrDefault("oidc", "true"));
    }

    @Override
    public Map<String, String> start() {
        PostgresServer pg = TestInfrastructure.postgres();
        pg.createDatabase(database);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.reactive.url", pg.reactiveUrl(database));
        config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(database));
        config.put("quarkus.datasource.username", pg.user());
        config.put("quarkus.datasource.password", pg.password());
        config.put("kafka.bootstrap.servers", TestInfrastructure.kafka().bootstrapServers());
        if (oidc) {
            config.put("quarkus.oidc.auth-server-url", TestInfrastructure.issuer().issuerUrl());
        }
        if (s3) {
            TestInfrastructure.S3Settings settings = TestInfrastructure.s3();
            config.put("palisade.s3.endpoint", settings.endpoint());
            config.put("palisade.s3.access-key", settings.accessKey());
            config.put("palisade.s3.secret-key", settings.secretKey());
        }
        return config;
    }

    @Override
    public void stop() {
        TestInfrastructure.shutdown();
    }
}
