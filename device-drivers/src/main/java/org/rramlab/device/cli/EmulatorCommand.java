package org.rramlab.device.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.InstrumentEmulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serve the parameter-analyzer and probe-station protocols over TCP, backed by a simulated array. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {"Serve the parameter-analyzer and probe-station protocols over TCP, backed by a simulated array.",
                "Both instruments answer on one port. Runs until interrupted (Ctrl-C)."})
public class EmulatorCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "5025", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--preset", defaultValue = DevicePreset.DEFAULT, description = "device preset (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--seed", defaultValue = "1", description = "fabrication seed; die d gets seed + d (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--rows", defaultValue = "256", description = "rows per die (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--cols", defaultValue = "256", description = "columns per die (default: ${DEFAULT-VALUE})")
    int cols;

    @Option(names = "--dies", defaultValue = "1", description = "dies on the wafer (default: ${DEFAULT-VALUE})")
    int dies;

    @Option(names = "--faults", defaultValue = "none", description = {
            "faults to inject, comma-separated: drop-every=DURATION, drop-after=COMMANDS, delay=DURATION,",
            "garble=P, compliance=P, overflow=P (e.g. drop-every=5s,garble=0.001)"})
    String faults;

    @Override
    public Integer call() {
        java.io.PrintWriter err = spec.commandLine().getErr();
        InstrumentEmulator emulator;
        try {
            emulator = new InstrumentEmulator(new InstrumentEmulator.Config(DevicePreset.load(preset), rows, cols, dies, seed,
                    FaultSpec.parse(faults), bind, port));
        } catch (IllegalArgumentException e) {
            err.println("rramlab emulator: " + e.getMessage());
            return 2;
        }
        try {
            emulator.start();
        } catch (IOException e) {
            err.println("rramlab emulator: cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                    + "); choose another --port or stop what uses it");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            System.err.println("rramlab emulator: stopped; " + emulator.stats());
            stopped.countDown();
        }));
        java.io.PrintWriter out = spec.commandLine().getOut();
        out.println("rramlab emulator listening on " + bind + ":" + emulator.port() + " (parameter analyzer + probe station), "
                + dies + " die(s) of " + rows + "x" + cols + ", preset " + preset + ", seed " + seed + ", faults " + faults);
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EmulatorCommand()).execute(args));
    }
}
