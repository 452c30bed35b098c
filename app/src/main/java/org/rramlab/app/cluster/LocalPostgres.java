package org.rramlab.app.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of our own on loopback: the Debian binaries (the package the tests install),
 * a data directory under ours, a port of ours. It can be stopped and started again (the journal
 * survives in its directory) without touching the machine's own PostgreSQL.
 */
public final class LocalPostgres implements AutoCloseable {
    public static final String USER = "rramlab";
    public static final String DATABASE = "rramlab";

    private final Path dir;
    private final int port;
    private final Path bin;
    private Process server;

    private LocalPostgres(Path dir, int port, Path bin) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
    }

    /** Initializes {@code dir} on first use and starts the server on {@code port}. */
    public static LocalPostgres start(Path dir, int port) throws IOException, InterruptedException {
        LocalPostgres pg = new LocalPostgres(dir, port, binaries());
        pg.init();
        pg.startServer();
        pg.createDatabase();
        return pg;
    }

    /** The newest PostgreSQL under /usr/lib/postgresql. */
    static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(p -> Files.isExecutable(p.resolve("bin/postgres")))
                    .max(Comparator.comparingInt(p -> parse(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + root));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed (" + root + " is missing): apt-get install"
                    + " postgresql, or run ./rramlab test once as root, which installs it", e);
        }
    }

    private static int parse(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void init() throws IOException, InterruptedException {
        if (Files.exists(dir.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(dir);
        chownToPostgres(dir);
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.toString(), "-U", USER, "--auth=trust",
                "-E", "UTF8", "--no-sync"), dir.resolveSibling(dir.getFileName() + "-initdb.log"));
    }

    /** Starts the server (again, after {@link #stop}); returns once it takes connections. */
    public synchronized void startServer() throws IOException, InterruptedException {
        List<String> cmd = asPostgres(List.of(bin.resolve("postgres").toString(), "-D", dir.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
                "-c", "fsync=on", "-c", "max_connections=100"));
        server = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolveSibling(dir.getFileName() + ".log").toFile()))
                .start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Connection c = connect("postgres")) {
                return;
            } catch (SQLException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not start on port " + port + ": see "
                            + dir.resolveSibling(dir.getFileName() + ".log"), e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Stops the server: fast shutdown (SIGINT), or SIGKILL when {@code crash}. */
    public synchronized void stop(boolean crash) throws InterruptedException {
        if (server == null) {
            return;
        }
        if (crash) {
            server.destroyForcibly();
        } else {
            // SIGINT: PostgreSQL's fast shutdown, open sessions are ended
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).inheritIO().start().waitFor();
            } catch (IOException e) {
                server.destroy();
            }
        }
        if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
        server = null;
    }

    private void createDatabase() throws IOException {
        try (Connection c = connect("postgres"); var st = c.createStatement();
             var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IOException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("connectTimeout", "2");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return server == null ? -1 : server.pid();
    }

    @Override
    public void close() throws InterruptedException {
        stop(false);
    }

    /** PostgreSQL refuses to run as root: as root, run it as the postgres user the package creates. */
    private static List<String> asPostgres(List<String> cmd) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return cmd;
        }
        // setpriv execs (no parent left between us and the server): a signal to the process is one to PostgreSQL
        List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        out.addAll(cmd);
        return out;
    }

    private static void chownToPostgres(Path dir) throws IOException, InterruptedException {
        if ("root".equals(System.getProperty("user.name"))) {
            // the parents must be passable for the postgres user too
            for (Path p = dir.getParent(); p != null && !p.equals(Path.of("/")); p = p.getParent()) {
                if (p.toString().startsWith("/tmp") || p.startsWith(dir.getParent())) {
                    p.toFile().setExecutable(true, false);
                }
            }
            run(List.of("chown", "postgres:postgres", dir.toString()), null);
        }
    }

    private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
        List<String> full = cmd.get(0).equals("chown") ? cmd : asPostgres(cmd);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed" + (log == null ? "" : "; see " + log));
        }
    }
}
