package org.rramlab.app.cli.device;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.noise.RetentionBake;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How long to bake a physical array for a retention time at its use temperature (Arrhenius). */
@Command(name = "bake", mixinStandardHelpOptions = true,
        description = {"Accelerated retention on real devices: the bake time at a temperature that stands for a retention",
                "time at the use temperature, by Arrhenius with a stated activation energy (default: the preset's)."})
public class DeviceBakeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", defaultValue = DevicePreset.DEFAULT, description = "device preset (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--ea", description = "activation energy in eV (default: the preset's drift activation energy)")
    Double ea;

    @Option(names = "--use-c", defaultValue = "85", description = "use temperature, C (default: ${DEFAULT-VALUE})")
    double useCelsius;

    @Option(names = "--bake-c", defaultValue = "150", description = "bake temperature, C (default: ${DEFAULT-VALUE})")
    double bakeCelsius;

    @Option(names = "--retention-hours", defaultValue = "87600", description = "retention to stand for, hours (default: ${DEFAULT-VALUE}, 10 years)")
    double retentionHours;

    @Override
    public Integer call() {
        try {
            double e = ea != null ? ea : DevicePreset.load(preset).drift().activationEnergyEv();
            RetentionBake bake = new RetentionBake(e, useCelsius + 273.15);
            double seconds = bake.bakeSeconds(retentionHours * 3600, bakeCelsius + 273.15);
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "bake %.2f h at %.1f C for %.0f h at %.1f C (Ea %.3f eV, acceleration %.4g)", seconds / 3600, bakeCelsius,
                    retentionHours, useCelsius, e, bake.acceleration(bakeCelsius + 273.15)));
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("rramlab device bake: " + e.getMessage());
            return 2;
        }
    }
}
