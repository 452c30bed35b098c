package org.rramlab.app.cli;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.rramlab.app.demo.Demo;
import org.rramlab.app.demo.DemoSummary;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The main job: a node and the whole loop on it, from MNIST to OSA rounds under drift. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a node on embedded defaults and run the whole loop on simulated arrays:",
            "fetch MNIST, characterize an array (the live device model), train a LeNet-5 teacher, distil a",
            "device-aware student against the live model, deploy it under an OSA supervisor and drift the arrays",
            "in accelerated time while the supervisor keeps accuracy up. Saved models and the deployment are",
            "taken up again by the next run. Watch it on the dashboard; Ctrl-C stops the node."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--teacher-epochs", defaultValue = "4", description = "Epochs of the teacher (default ${DEFAULT-VALUE}).")
    int teacherEpochs;

    @Option(names = "--student-epochs", defaultValue = "3",
            description = "Epochs of the KD student (default ${DEFAULT-VALUE}).")
    int studentEpochs;

    @Option(names = "--acceleration", defaultValue = "7200",
            description = "Array seconds per wall-clock second in the drift campaign (default ${DEFAULT-VALUE}: two hours a second).")
    double acceleration;

    @Option(names = "--check-interval", defaultValue = "15",
            description = "Seconds between HIL accuracy checks (default ${DEFAULT-VALUE}).")
    double checkInterval;

    @Option(names = "--summary-every", defaultValue = "30", description = "Seconds between status lines (default ${DEFAULT-VALUE}).")
    long summaryEvery;

    @Option(names = "--minutes", description = "Stop after this many minutes and print the rounds (default: run until Ctrl-C).")
    Double minutes;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if (!(acceleration > 0) || !(checkInterval >= 1) || summaryEvery < 1 || teacherEpochs < 1 || studentEpochs < 1
                || (minutes != null && !(minutes > 0))) {
            System.err.println("rramlab demo: --acceleration must be > 0, --check-interval >= 1, --summary-every >= 1,"
                    + " epochs >= 1 and --minutes > 0");
            return 2;
        }
        Config effective = LabConfig.load(node.overrides());
        LabNode started = NodeStart.start(effective, System.out);
        if (!started.readiness().toCompletableFuture().join().ready()) {
            return 1;
        }
        System.out.println("dashboard: " + NodeStart.url(started) + "  (the tour: docs/operator-guide.md)");
        Demo.Options options = new Demo.Options(teacherEpochs, studentEpochs, acceleration,
                Duration.ofSeconds(summaryEvery), minutes == null ? null : Duration.ofMillis((long) (minutes * 60_000)),
                checkInterval);
        DemoSummary summary;
        try {
            summary = new Demo(started, options, System.out, t0).run();
        } catch (Exception e) {
            if (started.stopping()) {
                // Ctrl-C while a step waited on the node: the saved state is taken up by the next run
                System.out.println("demo stopped with the node; `./rramlab demo` again carries on from here");
                return 0;
            }
            throw e;
        }
        summary.print(System.out);
        if (minutes != null) {
            started.stop().toCompletableFuture().join();
        }
        return 0;
    }
}
