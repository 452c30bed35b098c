package org.rramlab.cli;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rramlab.node.LabConfig;
import org.rramlab.node.LabNode;
import org.rramlab.node.Readiness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts one lab node and keeps it running until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start a lab node: embedded Kafka broker, journal, actor system and HTTP server.",
            "Stops cleanly on Ctrl-C."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--data-dir", description = "Data directory: journal, broker log, datasets, models"
            + " (default $RRAMLAB_DATA_DIR or ~/.local/share/rramlab).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "Override a setting, e.g. --config http.interface=0.0.0.0 (repeatable).")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--print-config", description = "Print the effective configuration and exit.")
    boolean printConfig;

    @Override
    public Integer call() throws Exception {
        Config effective = LabConfig.load(overrides());
        if (printConfig) {
            System.out.print(LabConfig.render(effective));
            return 0;
        }
        long t0 = System.nanoTime();
        LabNode node = LabNode.start(effective);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("rramlab: stopping...");
            node.close();
            System.err.println("rramlab: stopped");
        }, "rramlab-stop"));
        String url = "http://" + node.settings().httpInterface() + ":" + node.httpPort() + "/";
        System.out.println("rramlab node on " + url + " (data directory " + node.settings().dataDir() + ")");
        node.api().generatedTokens().ifPresent(g -> {
            System.out.println("access tokens, generated now and shown only this once (stored hashed in " + g.file() + "):");
            System.out.println("  operator  " + g.operator());
            System.out.println("  viewer    " + g.viewer());
            System.out.println("dashboard: " + url + "?token=" + g.viewer() + "  (an operator token lets it pause and resume campaigns)");
        });
        Readiness ready = awaitReady(node, Duration.ofMinutes(2));
        if (ready.ready()) {
            System.out.printf("ready in %.1f s: broker %s, journal %s; Ctrl-C stops the node%n",
                    (System.nanoTime() - t0) / 1e9, ready.parts().get("broker").detail(),
                    ready.parts().get("journal").detail());
        } else {
            System.out.println("not ready after 2 minutes: " + ready.parts() + " (see " + url + "ready)");
        }
        node.whenStopped().toCompletableFuture().join();
        return 0;
    }

    private Map<String, String> overrides() {
        Map<String, String> all = new LinkedHashMap<>(config);
        if (port != null) {
            all.put("rramlab.http.port", port.toString());
        }
        if (dataDir != null) {
            all.put("rramlab.data-dir", com.typesafe.config.ConfigUtil.quoteString(dataDir.toAbsolutePath().toString()));
        }
        return all;
    }

    static Readiness awaitReady(LabNode node, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Readiness last = node.readiness().toCompletableFuture().join();
        while (!last.ready() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = node.readiness().toCompletableFuture().join();
        }
        return last;
    }
}
