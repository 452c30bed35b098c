package org.rramlab.app.cli;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
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

/** `rramlab device import`: measured reads of a lab's own instrument into a running node (docs/data-format.md). */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import measured reads (long-form CSV: array_id,sequence,array_time_s,row,col,conductance_s,"
                + "target_level,suspect; siemens and seconds) into a running node: they are published as frames,",
                "archived, and fitted by the statistics like any array. A bad file is refused whole, its line named."})
public final class DeviceImportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    NodeHttp http;
    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file.")
    Path file;
    @Option(names = "--array", required = true, paramLabel = "ID", description = "The array the reads are of (a new id).")
    String array;
    @Option(names = "--format", defaultValue = "csv", description = "csv (default ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(file)) {
            spec.commandLine().getErr().println("rramlab device import: cannot read " + file);
            return 1;
        }
        HttpRequest request = http.request("/api/arrays/" + URLEncoder.encode(array, StandardCharsets.UTF_8)
                        + "/import?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            spec.commandLine().getErr().println("rramlab device import: " + NodeHttp.error(r.statusCode(), r.body()));
            return 1;
        }
        spec.commandLine().getOut().println(r.body());
        return 0;
    }
}
