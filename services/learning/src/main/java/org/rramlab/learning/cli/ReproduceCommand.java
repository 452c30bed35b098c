package org.rramlab.learning.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rramlab.learning.data.DatasetFormatException;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.reproduce.ReproduceOptions;
import org.rramlab.learning.reproduce.Reproduction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reproduce the paper's results: teacher, mapping, KD, OSA over several chips. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's results: teacher, mapping, KD, OSA over several chips.")
public class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--quick", description = "fewer epochs, chips, OSA budgets and calibration images (under 15 min on 2 cores)")
    boolean quick;

    @Option(names = "--chips", description = "simulated chips (seeds) to repeat over (default: 2 with --quick, else 5)")
    Integer chips;

    @Option(names = "--json", description = "write the results as JSON to this file")
    Path json;

    @Option(names = "--data-dir", description = "folder holding datasets/ and models/ (default: $RRAMLAB_DATA_DIR or ~/.local/share/rramlab)")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "1", description = "seed of training and chips (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--retrain", description = "train teacher and student again even if cached models exist")
    boolean retrain;

    @Option(names = "--w-max-quantile", defaultValue = "0.98",
            description = "quantile of |w| that maps to the top level for the KD student, in training and mapping"
                    + " (default: ${DEFAULT-VALUE}; 1 is max|w|, the paper's rule; the teacher always uses max|w|)")
    double wMaxQuantile;

    @Option(names = "--osa-epochs", description = "epochs of each OSA round (default: 3 with --quick, else 16)")
    Integer osaEpochs;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE})")
    int threads;

    /** Runs the command on its own, before the {@code rramlab} launcher wires it in. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new ReproduceCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DatasetKind kind;
        try {
            kind = DatasetKind.parse(dataset);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        int n = chips != null ? chips : (quick ? 2 : 5);
        if (n < 1) {
            System.err.println("--chips must be at least 1");
            return 2;
        }
        System.setProperty("rramlab.threads", Integer.toString(threads));
        Path dir = dataDir != null ? dataDir : DatasetRepository.defaultDataDir();
        if (!(wMaxQuantile > 0 && wMaxQuantile <= 1)) {
            System.err.println("--w-max-quantile must lie in (0, 1], got " + wMaxQuantile);
            return 2;
        }
        if (osaEpochs != null && osaEpochs < 0) {
            System.err.println("--osa-epochs must be >= 0, got " + osaEpochs);
            return 2;
        }
        ReproduceOptions options = ReproduceOptions.of(kind, quick, n, dir, seed, retrain)
                .withStudentWMaxQuantile(wMaxQuantile);
        if (osaEpochs != null) {
            options = options.withOsaEpochs(osaEpochs);
        }
        Map<String, Object> result;
        try {
            result = new Reproduction(options, System.out).run();
        } catch (DatasetFormatException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
            System.out.println("results written to " + json);
        }
        return 0;
    }
}
