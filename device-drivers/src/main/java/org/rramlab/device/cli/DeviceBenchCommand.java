package org.rramlab.device.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Benchmark simulated and emulated array throughput. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Benchmark simulated and emulated array throughput.")
public class DeviceBenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rramlab device: not built yet in this version");
        return 2;
    }
}
