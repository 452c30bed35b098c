package org.rramlab.app.cli.learning;

import java.nio.file.Path;
import org.rramlab.learning.data.DatasetRepository;
import picocli.CommandLine.Option;

/** Options the learning benchmarks share, each a mixin so that a command takes only those it has. */
final class LearningRunOptions {
    private LearningRunOptions() {}

    /** Where the datasets are. */
    static final class Datasets {
        @Option(names = "--data-dir", description = "folder holding datasets/ (default: $RRAMLAB_DATA_DIR or ~/.local/share/rramlab)")
        Path dataDir;

        Path dir() {
            return dataDir != null ? dataDir : DatasetRepository.defaultDataDir();
        }
    }

    /** PyTorch's intra-op threads; each command has its own default. */
    static final class Threads {
        @Option(names = "--threads", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE})")
        int threads;

        Threads(int threads) {
            this.threads = threads;
        }

        /** Read by the tensor engine when it starts: set before the first tensor. */
        int apply() {
            System.setProperty("rramlab.threads", Integer.toString(threads));
            return threads;
        }
    }

    /** Where the results go as JSON, if anywhere. */
    static final class JsonFile {
        @Option(names = "--json", description = "write the results as JSON to this file")
        Path json;
    }
}
