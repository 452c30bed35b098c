package org.rramlab.app.cli;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.time.Duration;
import org.rramlab.app.node.LabNode;
import org.rramlab.node.Readiness;

/** Starts a node for a command: stops it on Ctrl-C, prints its address and new tokens, waits until it is ready. */
final class NodeStart {
    private NodeStart() {}

    /** @return the node; not ready yet when it did not get ready in two minutes (said on {@code out}) */
    static LabNode start(Config effective, PrintStream out) throws InterruptedException {
        long t0 = System.nanoTime();
        LabNode node = LabNode.start(effective);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("rramlab: stopping...");
            node.close();
            System.err.println("rramlab: stopped");
        }, "rramlab-stop"));
        stopCleanlyOnSigterm(node);
        String url = url(node);
        out.println("rramlab node on " + url + " (data directory " + node.settings().dataDir() + ")");
        node.api().generatedTokens().ifPresent(g -> {
            out.println("access tokens, generated now and shown only this once (stored hashed in " + g.file() + "):");
            out.println("  operator  " + g.operator());
            out.println("  viewer    " + g.viewer());
            out.println("dashboard: " + url + "?token=" + g.viewer() + "  (an operator token lets it pause and resume campaigns)");
        });
        Readiness ready = awaitReady(node, Duration.ofMinutes(2));
        if (!ready.ready()) {
            out.println("not ready after 2 minutes: " + ready.parts() + " (see " + url + "ready)");
            return node;
        }
        out.printf("ready in %.1f s: broker %s, journal %s; Ctrl-C stops the node%n", (System.nanoTime() - t0) / 1e9,
                ready.parts().get("broker").detail(), ready.parts().get("journal").detail());
        return node;
    }

    /**
     * SIGTERM (systemctl stop, docker stop, a pod's end) is the normal way to stop a service: the
     * node stops in order and the process exits 0, not the JVM's 143, so service managers do not
     * count every stop as a failure. Where the JVM lets no handler in, the shutdown hook above still stops it.
     */
    @SuppressWarnings("restriction")
    private static void stopCleanlyOnSigterm(LabNode node) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> new Thread(() -> {
                System.err.println("rramlab: SIGTERM, stopping...");
                node.close();
                System.err.println("rramlab: stopped");
                System.exit(0);
            }, "rramlab-sigterm").start());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            System.err.println("rramlab: no SIGTERM handler (" + e.getMessage() + "); a SIGTERM stop exits 143");
        }
    }

    static String url(LabNode node) {
        return (node.https() ? "https://" : "http://") + node.settings().httpInterface() + ":" + node.httpPort() + "/";
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
