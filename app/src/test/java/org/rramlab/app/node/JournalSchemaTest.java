package org.rramlab.app.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's tables from the plugin's shipped DDL, on H2 (as a node's own journal) and on
 * PostgreSQL (`./rramlab test` starts a local server and sets TEST_RRAMLAB_POSTGRES_*): created from
 * nothing, and a second start against them changes nothing and does not fail.
 */
@Timeout(120)
class JournalSchemaTest {
    private static final Set<String> TABLES = Set.of("durable_state", "event_journal", "event_tag", "snapshot");

    @TempDir
    Path dir;

    @Test
    void everyStatementCanRunTwice() {
        for (String product : List.of("H2", "PostgreSQL")) {
            List<String> statements = JournalSchema.statements(product);
            assertTrue(statements.size() >= 5, product + ": " + statements);
            statements.forEach(s -> assertTrue(s.toUpperCase().contains("IF NOT EXISTS"), product + ": " + s));
        }
        var e = assertThrows(IllegalStateException.class, () -> JournalSchema.statements("MySQL"));
        assertTrue(e.getMessage().contains("rramlab.journal.kind"), e.getMessage());
    }

    @Test
    void h2FromNothingThenAgain() throws SQLException {
        // as the node opens it (PekkoSettings)
        String url = "jdbc:h2:file:" + dir.resolve("rramlab") + ";DATABASE_TO_UPPER=false";
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            JournalSchema.apply(c);
            insertEvent(c, "\"event_journal\"", "\"");
            JournalSchema.apply(c);
            assertEquals(TABLES, tables(c, "PUBLIC"));
            assertEquals(1, count(c, "SELECT COUNT(*) FROM \"event_journal\""), "the second run kept the journal");
        }
    }

    @Test
    void postgresFromNothingThenAgain() throws SQLException {
        String url = System.getenv("TEST_RRAMLAB_POSTGRES_URL");
        assertNotNull(url, "TEST_RRAMLAB_POSTGRES_URL is not set: run the tests with `./rramlab test`, which"
                + " starts a local PostgreSQL, or point the TEST_RRAMLAB_POSTGRES_* variables at a server");
        String schema = "journal_schema_test_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
        try (Connection c = DriverManager.getConnection(url, System.getenv("TEST_RRAMLAB_POSTGRES_USER"),
                System.getenv("TEST_RRAMLAB_POSTGRES_PASSWORD"));
             Statement st = c.createStatement()) {
            // the script names the public schema; a schema of its own shows "from nothing" on a
            // database other tests share
            st.execute("CREATE SCHEMA " + schema);
            st.execute("SET search_path TO " + schema);
            try {
                for (int run = 0; run < 2; run++) {
                    for (String sql : JournalSchema.statements("PostgreSQL")) {
                        st.execute(sql.replace("public.", schema + "."));
                    }
                    if (run == 0) {
                        insertEvent(c, "event_journal", "");
                    }
                }
                assertEquals(TABLES, tables(c, schema));
                assertEquals(1, count(c, "SELECT COUNT(*) FROM event_journal"), "the second run kept the journal");
            } finally {
                st.execute("SET search_path TO public");
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            // and as a node runs it: on the shared public schema, where the tables may be there already
            JournalSchema.apply(c);
            JournalSchema.apply(c);
            assertTrue(tables(c, "public").containsAll(TABLES), tables(c, "public").toString());
        }
    }

    /** One event row, as the plugin writes it ({@code q}: how the script quotes names). */
    private static void insertEvent(Connection c, String table, String q) throws SQLException {
        String columns = Stream.of("persistence_id", "sequence_number", "writer", "write_timestamp", "adapter_manifest",
                "event_ser_id", "event_ser_manifest", "event_payload").map(n -> q + n + q).collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + columns
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, "p-1");
            ps.setLong(2, 1);
            ps.setString(3, "w");
            ps.setLong(4, 0);
            ps.setString(5, "");
            ps.setInt(6, 1);
            ps.setString(7, "");
            ps.setBytes(8, new byte[] {0});
            ps.executeUpdate();
        }
    }

    private static Set<String> tables(Connection c, String schema) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
