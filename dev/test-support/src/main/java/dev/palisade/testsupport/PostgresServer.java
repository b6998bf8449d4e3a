package dev.palisade.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for tests and the local stack: either embedded (zonky's PostgreSQL binaries,
 * started as a child process on a fixed port with a data directory that survives restarts) or an
 * already-running server named by a JDBC URL.
 * <p>
 * Every service gets its own database on the same server; {@link #createDatabase(String)} makes it idempotently.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path dataDirectory;
    private EmbeddedPostgres embedded;

    private PostgresServer(String host, int port, String user, String password, Path dataDirectory) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.dataDirectory = dataDirectory;
    }

    /** An embedded server listening on 127.0.0.1:{@code port}, keeping its data in {@code dataDirectory}. */
    public static PostgresServer embedded(int port, Path dataDirectory) {
        return new PostgresServer("127.0.0.1", port, "postgres", "postgres", dataDirectory);
    }

    /** A server that already runs elsewhere; it is never started or stopped from here. */
    public static PostgresServer external(String host, int port, String user, String password) {
        return new PostgresServer(host, port, user, password, null);
    }

    public boolean isEmbedded() {
        return dataDirectory != null;
    }

    public synchronized boolean isRunning() {
        return !isEmbedded() || embedded != null;
    }

    /** Starts the embedded server (initialising the data directory on first use); no-op when external or running. */
    public synchronized PostgresServer start() {
        if (!isEmbedded() || embedded != null) {
            return this;
        }
        try {
            embedded = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on port " + port + " with data in " + dataDirectory
                    + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Stops the embedded server (fast shutdown); its data stays for the next {@link #start()}. */
    public synchronized void stop() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly: " + e.getMessage(), e);
        } finally {
            embedded = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Creates {@code name} unless it exists. Names are lower-case identifiers (they are not quoted by callers). */
    public void createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a valid database name: '" + name + "'");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password)) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) { // duplicate_database: another process won the race
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database '" + name + "' on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL form of the Vert.x reactive PostgreSQL client, as Quarkus' {@code quarkus.datasource.reactive.url} takes it. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }
}
