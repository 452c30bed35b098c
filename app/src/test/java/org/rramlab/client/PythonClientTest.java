package org.rramlab.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LiveNodeFixture;
import org.rramlab.node.LabConfig;

/**
 * The Python client and the example notebook against a real node: the client is installed offline
 * with pip (Debian's python3 and its packages), its pytest suite runs with the node's URL and
 * tokens in the environment, and docs/notebooks/drift-campaign.ipynb is executed by nbconvert;
 * any failing test or cell fails this test.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PythonClientTest {
    static final String OPERATOR = "python-operator-token-0123";
    static final String VIEWER = "python-viewer-token-01234";
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    static LabNode node;
    static String base;
    static Path site;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> o = LiveNodeFixture.settings(OPERATOR, VIEWER, dir.resolve("data"));
        // the notebook fits the power law of its dac2020-65nm array: the statistics model the same preset
        o.put("rramlab.statistics.preset", "dac2020-65nm");
        node = LabNode.start(LabConfig.load(o, Map.of()));
        base = "http://127.0.0.1:" + node.httpPort();
        LiveNodeFixture.awaitReady(node);
        site = install();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    record Run(int exit, String out) {}

    static Run run(Path workDir, Duration limit, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("RRAMLAB_URL", base);
        env.put("RRAMLAB_TOKEN", OPERATOR);
        env.put("RRAMLAB_VIEWER_TOKEN", VIEWER);
        env.put("PYTHONPATH", site == null ? "" : site.toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        env.put("MPLBACKEND", "Agg");
        env.put("HOME", dir.toString()); // jupyter writes its runtime files under HOME
        Path log = Files.createTempFile(dir, "python-", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + limit + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** pip installs the client from a copy of clients/python, offline and without touching the system. */
    static Path install() throws Exception {
        Path source = dir.resolve("client-src");
        copy(ROOT.resolve("clients").resolve("python"), source);
        Path target = dir.resolve("site");
        Run pip = run(dir, Duration.ofMinutes(2), List.of(python(), "-m", "pip", "install", "--no-index",
                "--no-build-isolation", "--no-deps", "--quiet", "--target", target.toString(), source.toString()));
        assertEquals(0, pip.exit(), "pip install ./clients/python, offline:\n" + pip.out());
        assertTrue(Files.exists(target.resolve("rramlab_client").resolve("lab.py")), "installed: " + target);
        assertTrue(Files.exists(target.resolve("rramlab_client").resolve("py.typed")), "typed");
        return target;
    }

    @Test
    void theClientsOwnTestsPassAgainstTheNode() throws Exception {
        // run from elsewhere: "python -m" puts the working directory first on the path
        Run pytest = run(dir, Duration.ofMinutes(4), List.of(python(), "-m", "pytest", "-q", "-s", "-p",
                "no:cacheprovider", "--rootdir", dir.toString(), ROOT.resolve("clients").resolve("python").resolve("tests")
                        .toString()));
        System.out.println(pytest.out());
        assertEquals(0, pytest.exit(), pytest.out());
        assertTrue(pytest.out().contains("7 passed"), pytest.out());
        Run where = run(dir, Duration.ofSeconds(30), List.of(python(), "-c",
                "import rramlab_client; print(rramlab_client.__file__)"));
        assertTrue(where.out().trim().startsWith(site.toString()), "the installed copy is the one tested: " + where.out());
    }

    @Test
    void theExampleNotebookRunsEveryCell() throws Exception {
        Path notebook = ROOT.resolve("docs").resolve("notebooks").resolve("drift-campaign.ipynb");
        Path out = dir.resolve("executed.ipynb");
        Run nb = run(notebook.getParent(), Duration.ofMinutes(4), List.of(python(), "-m", "jupyter", "nbconvert",
                "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=180", "--output", out.toString(),
                notebook.toString()));
        assertEquals(0, nb.exit(), "a cell of the notebook failed:\n" + nb.out());
        String executed = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(!executed.contains("\"output_type\": \"error\""), executed);
        assertTrue(executed.contains("nu (notebook)"), "the comparison with the node's statistics ran");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = from.relativize(p).toString();
                if (rel.contains("__pycache__") || rel.contains(".egg-info") || rel.startsWith("build")) {
                    continue;
                }
                Path target = to.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
