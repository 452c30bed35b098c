package org.rramlab.learning.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Benchmark training, the device-aware KD step and HIL evaluation. */
@Command(name = "learning", mixinStandardHelpOptions = true, description = "Benchmark training, the device-aware KD step and HIL evaluation.")
public class LearningBenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rramlab learning: not built yet in this version");
        return 2;
    }
}
