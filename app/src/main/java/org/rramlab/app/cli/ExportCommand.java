package org.rramlab.app.cli;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A campaign's archived reads, or a deployment's checks and OSA rounds, into a file (docs/data-format.md). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export lab data from a running node for notebooks: HDF5 or long-form CSV (docs/data-format.md).",
        subcommands = {ExportCommand.Campaign.class, ExportCommand.Deployment.class})
public final class ExportCommand extends GroupCommand {

    /** What both exports take: the id, the format, the file; each names its resource. */
    abstract static class Download implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        NodeHttp http;
        @Parameters(index = "0", paramLabel = "ID", description = "The ${COMMAND-NAME}.")
        String id;
        @Option(names = "--format", defaultValue = "hdf5", description = "hdf5 or csv (default ${DEFAULT-VALUE}).")
        String format;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the export.")
        Path out;

        /** The export's path on the node, after {@code /api}. */
        abstract String path();

        static String encoded(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }

        @Override
        public Integer call() throws Exception {
            Path partial = out.resolveSibling(out.getFileName() + ".part");
            HttpResponse<Path> r = http.send(http.request("/api" + path()).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (r.statusCode() != 200) {
                spec.commandLine().getErr().println("rramlab export: "
                        + NodeHttp.error(r.statusCode(), NodeHttp.readAndDelete(partial)));
                return 1;
            }
            Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            spec.commandLine().getOut().println("wrote " + out + " (" + Files.size(out) + " bytes)");
            return 0;
        }
    }

    @Command(name = "campaign", mixinStandardHelpOptions = true, description = "Every archived read of a campaign's arrays.")
    static final class Campaign extends Download {
        @Override
        String path() {
            return "/campaigns/" + encoded(id) + "/export?format=" + encoded(format);
        }
    }

    @Command(name = "deployment", mixinStandardHelpOptions = true,
            description = "A deployment's HIL checks and OSA rounds (csv: one table, --table checks|rounds).")
    static final class Deployment extends Download {
        @Option(names = "--table", defaultValue = "checks", description = "With csv: checks or rounds (default ${DEFAULT-VALUE}).")
        String table;

        @Override
        String path() {
            return "/deployments/" + encoded(id) + "/export?format=" + encoded(format) + "&table=" + encoded(table);
        }
    }
}
