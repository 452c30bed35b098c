package org.rramlab.device.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Serve the parameter-analyzer and probe-station protocols over TCP, backed by a simulated array. */
@Command(name = "emulator", mixinStandardHelpOptions = true, description = "Serve the parameter-analyzer and probe-station protocols over TCP, backed by a simulated array.")
public class EmulatorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rramlab emulator: not built yet in this version");
        return 2;
    }
}
