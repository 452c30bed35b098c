package org.rramlab.app.cli.device;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rramlab.device.DeviceException;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.characterize.CharacterizeReport;
import org.rramlab.device.characterize.Characterizer;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.sim.SimulatedArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Work with arrays directly: characterize a simulated or physical array. */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "Work with arrays directly: characterize a simulated or physical array.",
        subcommands = {DeviceCommand.Characterize.class, DevicePlanCommand.class, DeviceBakeCommand.class, DeviceWaferCommand.class})
public class DeviceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeviceCommand()).execute(args));
    }

    @Command(name = "characterize", mixinStandardHelpOptions = true,
            description = {"Program every level across an array, read it back and estimate the device statistics",
                    "(per-level median, mean and log sigma; stuck-at fractions) from the reads alone.",
                    "A simulated array unless --analyzer, --matrix (or --board) and --prober name instruments."})
    public static class Characterize implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        ArrayOptions device = new ArrayOptions(256, 256);

        @Option(names = "--seed", defaultValue = "1", description = "fabrication seed of a simulated array (default: ${DEFAULT-VALUE})")
        long seed;

        @picocli.CommandLine.Mixin
        StationOptions station = new StationOptions();

        @Option(names = "--write-verify", description = "program with write-verify")
        boolean writeVerify;

        @Option(names = "--json", description = "print JSON instead of a table")
        boolean json;

        @Option(names = "--write-preset", paramLabel = "FILE",
                description = "also write a preset fitted from the measured statistics to FILE")
        Path writePreset;

        @Override
        public Integer call() {
            java.io.PrintWriter out = spec.commandLine().getOut();
            java.io.PrintWriter err = spec.commandLine().getErr();
            DevicePreset p;
            try {
                p = device.load();
            } catch (IllegalArgumentException e) {
                err.println("rramlab device characterize: " + e.getMessage());
                return 2;
            }
            try (RramArray array = open(p)) {
                CharacterizeReport report = Characterizer.run(array, p, writeVerify);
                out.println(json ? report.toJsonString() : report.toTable());
                if (writePreset != null) {
                    String name = writePreset.getFileName().toString().replaceFirst("\\.conf$", "");
                    p.withFit(name, "fitted by rramlab device characterize from " + device.rows + "x" + device.cols + " cells via "
                                    + (station.given() ? "the instruments at " + station.analyzer : "a simulated array"),
                            report.statistics().pooledLogSigma(), report.statistics().stuckHighFraction(),
                            report.statistics().stuckLowFraction()).writeTo(writePreset);
                    err.println("wrote fitted preset " + writePreset);
                }
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("rramlab device characterize: " + e.getMessage());
                return 2;
            } catch (DeviceException | java.io.IOException e) {
                err.println("rramlab device characterize: " + e.getMessage());
                return 1;
            }
        }

        private RramArray open(DevicePreset p) {
            if (!station.given()) {
                return new SimulatedArray("sim-" + seed, p, device.rows, device.cols, seed);
            }
            return new PhysicalArray("die-" + station.die, device.rows, device.cols, station.addresses(),
                    station.options(p, device.rows, device.cols));
        }
    }
}
