package dev.palisade.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @TempDir
    Path data;

    @Test
    void keepsItsDataAcrossStopAndStartOnTheSamePort() throws SQLException {
        PostgresServer pg = PostgresServer.embedded(FreePorts.next(), data);
        try {
            pg.start();
            pg.createDatabase("billing");
            pg.createDatabase("billing"); // idempotent
            execute(pg, "CREATE TABLE plan (code text PRIMARY KEY)", "INSERT INTO plan VALUES ('basic')");

            pg.stop();
            assertTrue(FreePorts.isFree(pg.port()), "the port is released when the server stops");
            pg.start();

            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("billing"), pg.user(), pg.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT code FROM plan")) {
                assertTrue(rs.next());
                assertEquals("basic", rs.getString(1));
            }
        } finally {
            pg.close();
        }
    }

    @Test
    void refusesDatabaseNamesThatAreNotPlainIdentifiers() {
        PostgresServer pg = PostgresServer.external("127.0.0.1", 1, "u", "p");
        assertThrows(IllegalArgumentException.class, () -> pg.createDatabase("x; DROP DATABASE postgres"));
    }

    private static void execute(PostgresServer pg, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("billing"), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }
}
