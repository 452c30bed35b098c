package org.rramlab.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of the commands that start a node (run, demo). */
final class NodeOptions {
    @Option(names = "--port", description = "HTTP port (default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--data-dir", description = "Data directory: journal, broker log, datasets, models"
            + " (default $RRAMLAB_DATA_DIR or ~/.local/share/rramlab).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
            description = "Override a setting, e.g. --config http.interface=0.0.0.0 (repeatable).")
    Map<String, String> config = new LinkedHashMap<>();

    Map<String, String> overrides() {
        Map<String, String> all = new LinkedHashMap<>(config);
        if (port != null) {
            all.put("rramlab.http.port", port.toString());
        }
        if (dataDir != null) {
            all.put("rramlab.data-dir", com.typesafe.config.ConfigUtil.quoteString(dataDir.toAbsolutePath().toString()));
        }
        return all;
    }
}
