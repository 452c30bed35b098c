package org.rramlab.app.cli;

import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.util.Map;
import org.rramlab.node.LabConfig;
import org.rramlab.node.LabSettings;
import picocli.CommandLine.Option;

/** --data-dir for commands other than run; the default follows the node's configuration. */
final class DataDirOption {
    @Option(names = "--data-dir", description = "Data directory (default $RRAMLAB_DATA_DIR or ~/.local/share/rramlab).")
    Path dataDir;

    Path resolve() {
        Map<String, String> overrides = dataDir == null ? Map.of()
                : Map.of("rramlab.data-dir", ConfigUtil.quoteString(dataDir.toAbsolutePath().toString()));
        return LabSettings.from(LabConfig.load(overrides)).dataDir();
    }
}
