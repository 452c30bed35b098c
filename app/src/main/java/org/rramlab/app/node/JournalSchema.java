package org.rramlab.app.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.persistence.jdbc.db.SlickDatabase;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;

/**
 * Creates the JDBC journal's tables as a production deployment of pekko-persistence-jdbc does: with
 * the DDL scripts the plugin ships in its jar ({@code schema/h2/h2-create-schema.sql},
 * {@code schema/postgres/postgres-create-schema.sql}), not with the plugin's test kit. Every statement
 * is run as "create if not exists", so a start against an existing journal changes nothing; the
 * scripts' two kinds of index statement that lack the clause get it here (see {@link #idempotent}).
 */
public final class JournalSchema {
    private static final Pattern CREATE_INDEX = Pattern.compile(
            "^CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(CONCURRENTLY\\s+)?(?!IF\\s+NOT\\s+EXISTS)", Pattern.CASE_INSENSITIVE);
    private static final Pattern IF_NOT_EXISTS = Pattern.compile("\\bIF\\s+NOT\\s+EXISTS\\b", Pattern.CASE_INSENSITIVE);

    private JournalSchema() {}

    /**
     * Creates what is missing, through the journal's own connection pool, on the dispatcher for
     * blocking work.
     */
    public static CompletableFuture<Done> create(ActorSystem<?> system) {
        return CompletableFuture.supplyAsync(() -> {
            SlickDatabase db = ((SlickExtensionImpl) SlickExtension.get(system))
                    .database(system.settings().config().getConfig("jdbc-journal"));
            try (Connection c = db.database().source().createConnection()) {
                apply(c);
                return Done.getInstance();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the journal's tables: " + e.getMessage(), e);
            }
        }, system.dispatchers().lookup(DispatcherSelector.blocking()));
    }

    /** Runs the plugin's script for this connection's database, each statement on its own (auto-commit). */
    public static void apply(Connection c) throws SQLException {
        List<String> statements = statements(c.getMetaData().getDatabaseProductName());
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The plugin's script for a database product ("H2", "PostgreSQL"), split and made idempotent. */
    public static List<String> statements(String databaseProduct) {
        String script = switch (databaseProduct.toLowerCase(Locale.ROOT)) {
            case "h2" -> "schema/h2/h2-create-schema.sql";
            case "postgresql" -> "schema/postgres/postgres-create-schema.sql";
            default -> throw new IllegalStateException("the journal runs on H2 or PostgreSQL, not on "
                    + databaseProduct + "; set rramlab.journal.kind to h2 or postgres");
        };
        List<String> out = new ArrayList<>();
        for (String s : read(script).split(";\\s*(\\n|$)")) {
            String sql = s.strip();
            if (!sql.isEmpty()) {
                out.add(idempotent(sql, script));
            }
        }
        return out;
    }

    /**
     * The statement as "create ... if not exists". The scripts create the journal's ordering index
     * without the clause, and PostgreSQL's state indexes {@code CONCURRENTLY}, which is for adding
     * an index to a table in use; here the table was created by the statement before, or the index
     * is there already. Any other statement without the clause (a newer plugin's script) fails the
     * start, to be looked at, rather than being run twice.
     */
    static String idempotent(String sql, String script) {
        String out = CREATE_INDEX.matcher(sql).replaceFirst("CREATE $1INDEX IF NOT EXISTS ");
        if (!IF_NOT_EXISTS.matcher(out).find()) {
            throw new IllegalStateException(script + " has a statement that cannot be run twice: " + sql);
        }
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path: it comes with"
                        + " pekko-persistence-jdbc; check that the plugin's jar is there");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }
}
