package org.rramlab.app.cli.device;

import picocli.CommandLine.Option;

/** The prober's moves and the power line, as the timing of the instruments takes them (plan, emulator). */
public class ProberTimingOptions {
    @Option(names = "--step-ms", defaultValue = "1000", description = "one die step of the prober (default: ${DEFAULT-VALUE})")
    double stepMs;

    @Option(names = "--contact-ms", defaultValue = "300", description = "one chuck contact or separation move (default: ${DEFAULT-VALUE})")
    double contactMs;

    @Option(names = "--line-hz", defaultValue = "50", description = "power-line frequency, 50 or 60 (default: ${DEFAULT-VALUE})")
    double lineHz;
}
