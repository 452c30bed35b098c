package org.rramlab.app.cli;

import com.typesafe.config.Config;
import java.util.concurrent.Callable;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts one lab node and keeps it running until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start a lab node: embedded Kafka broker, journal, actor system and HTTP server.",
            "Stops cleanly on Ctrl-C."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--print-config", description = "Print the effective configuration and exit.")
    boolean printConfig;

    @Override
    public Integer call() throws Exception {
        Config effective = LabConfig.load(node.overrides());
        if (printConfig) {
            System.out.print(LabConfig.render(effective));
            return 0;
        }
        LabNode started = NodeStart.start(effective, System.out);
        started.whenStopped().toCompletableFuture().join();
        return 0;
    }
}
