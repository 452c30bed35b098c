package org.rramlab.app.cli;

import java.util.concurrent.Callable;
import org.rramlab.node.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** Prints the version of rramlab and of the platform it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of rramlab and its runtime.")
public final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String line : lines()) {
            System.out.println(line);
        }
        return 0;
    }

    static String[] lines() {
        return new String[] {
            "rramlab " + Version.current(),
            "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
            "os " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }

    /** Lets `rramlab --version` print the same. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
