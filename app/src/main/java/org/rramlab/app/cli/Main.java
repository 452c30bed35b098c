package org.rramlab.app.cli;

import org.rramlab.app.cli.device.DeviceCommand;
import org.rramlab.app.cli.device.EmulatorCommand;
import org.rramlab.app.cli.learning.ReproduceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The rramlab command line: one entry point, a subcommand per task. */
@Command(name = "rramlab", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Lab system for RRAM in-memory computing research: arrays, streaming statistics,"
                + " variation-aware training and on-line adaptation.",
        subcommands = {DemoCommand.class, RunCommand.class, ClusterCommand.class, BrokerCommand.class, CampaignCommand.class,
                DatasetsCommand.class, DeviceCommand.class, ExportCommand.class, EmulatorCommand.class, ReproduceCommand.class,
                BenchCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // importing needs a running node, which the device-drivers module knows nothing of
        cli.getSubcommands().get("device").addSubcommand("import", new DeviceImportCommand());
        // a person sees what went wrong and what to do, not a stack trace
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("rramlab " + cmd.getCommandName() + ": " + describe(e));
            return 1;
        });
        return cli;
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
