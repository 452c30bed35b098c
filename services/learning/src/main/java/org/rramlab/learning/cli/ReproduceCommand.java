package org.rramlab.learning.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Reproduce the paper's results: teacher, mapping, KD, OSA over several chips. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, description = "Reproduce the paper's results: teacher, mapping, KD, OSA over several chips.")
public class ReproduceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rramlab reproduce: not built yet in this version");
        return 2;
    }
}
