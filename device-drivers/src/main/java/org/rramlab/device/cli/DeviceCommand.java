package org.rramlab.device.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Work with arrays directly: characterize a simulated or physical array. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Work with arrays directly: characterize a simulated or physical array.")
public class DeviceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rramlab device: not built yet in this version");
        return 2;
    }
}
