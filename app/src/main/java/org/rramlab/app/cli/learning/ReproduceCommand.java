package org.rramlab.app.cli.learning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.rramlab.learning.data.DatasetFormatException;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.reproduce.ReproduceOptions;
import org.rramlab.learning.reproduce.RunSettings;
import org.rramlab.livearchive.Provenance;
import org.rramlab.learning.reproduce.Reproduction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reproduce the paper's results: teacher, mapping, KD, OSA over several chips. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's results: teacher, mapping, KD, OSA over several chips.")
public class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--quick", description = "fewer epochs, chips, OSA budgets and calibration images (about 2 h with 3 teachers on 2 cores"
            + " shared with other work; docs/reproduction.md)")
    boolean quick;

    @Option(names = "--chips", description = "held-out evaluation chips (default: 2 with --quick, else 5)")
    Integer chips;

    @Option(names = "--tuning-chips", description = "chips the settings are chosen on (default: 1 with --quick, else 2)")
    Integer tuningChips;

    @Option(names = "--chip-seed", defaultValue = "1",
            description = "fabrication seed of the first held-out chip; the others follow (default: ${DEFAULT-VALUE};"
                    + " tuning chips use seeds from 1000000 on, never these)")
    long chipSeed;

    @Option(names = "--adc-bits", defaultValue = "8",
            description = "column ADC resolution in the accuracy model, 2..16, or 'ideal' for an exact MAC"
                    + " (default: ${DEFAULT-VALUE}, as in the area model)")
    String adcBits;

    @Mixin
    LearningRunOptions.JsonFile json = new LearningRunOptions.JsonFile();

    @Option(names = "--data-dir", description = "folder holding datasets/ and models/ (default: $RRAMLAB_DATA_DIR or ~/.local/share/rramlab)")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "1", description = "seed of training and OSA (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--retrain", description = "train teacher and students again even if cached models exist")
    boolean retrain;

    @Option(names = "--w-max-quantiles", split = ",",
            description = "w_max quantile candidates of the KD student, chosen on validation (default: 1,0.98,0.95 with"
                    + " --quick, else 1,0.99,0.98,0.95,0.9; 1 = max|w|, the paper's rule, is always included)")
    List<Double> quantiles;

    @Option(names = "--osa-epochs", split = ",",
            description = "OSA epoch candidates, chosen on validation (default: 2,4 with --quick, else 8,16,32)")
    List<Integer> osaEpochs;

    @Option(names = "--budgets", split = ",",
            description = "SRAM fractions reported besides the largest one within the paper's 7.86 %% area"
                    + " (default: 0.0025,0.01 with --quick, else 0.001,0.0025,0.01,0.02)")
    List<Double> budgets;

    @Option(names = "--repair", defaultValue = "0.02",
            description = "share of the weights whose devices a third row (rramlab's method) write-verifies once"
                    + " after programming, 0 to leave the row out (default: ${DEFAULT-VALUE})")
    double repair;

    @Option(names = "--architecture",
            description = "lenet5 or vgg-small (default: vgg-small for cifar10, else lenet5)")
    String architecture;

    @Option(names = "--teachers",
            description = "teachers trained with seeds seed, seed+1, ...; settings are chosen with the first, figures"
                    + " are over teachers x held-out chips (default: " + ReproduceOptions.DEFAULT_TEACHERS + ")")
    Integer teachers;

    @Option(names = "--osa-learning-rates", split = ",",
            description = "OSA learning-rate candidates, chosen on validation (default: 0.001,0.003,0.01)")
    List<Double> osaLearningRates;

    @Option(names = "--grid-rounds",
            description = "times each method's OSA grid grows where its chosen candidate sits at an edge (epochs"
                    + " doubled or halved, learning rates on the 1-3-10 ladder), 0 for the grid as given (default: "
                    + ReproduceOptions.DEFAULT_GRID_ROUNDS + ")")
    Integer gridRounds;

    @Option(names = "--train-limit",
            description = "fitting images used for teachers and students, 0 for all (default: 10000 for cifar10"
                    + " --quick, else 0)")
    Integer trainLimit;

    @Option(names = "--epochs", split = ",",
            description = "teacher and student training epochs, TEACHER,STUDENT (default: 4,3 with --quick, 15,20"
                    + " without; cifar10 2,2 and 8,6)")
    List<Integer> epochs;

    @Option(names = "--mapping-variants-only",
            description = "map the (cached or trained) teachers under every reading of \"10 levels, 50 %% variance\""
                    + " on the held-out chips and stop: no students, selection or OSA")
    boolean variantsOnly;

    @Option(names = "--default-mapping-only",
            description = "score the default reading of the mapping alone, not every variant (saves 13 passes over"
                    + " the test images per teacher and chip: for the VGG-style net)")
    boolean defaultMappingOnly;

    @Option(names = "--test-limit", defaultValue = "0",
            description = "score on the first N t10k images only, 0 for all (default: ${DEFAULT-VALUE}); a quick"
                    + " run of the VGG-style net on 2 cores")
    int testLimit;

    @Option(names = "--calibration",
            description = "OSA calibration images drawn from the fitting images (default: 2000 with --quick, else 5000)")
    Integer calibration;

    @Option(names = "--selection-only", paramLabel = "rramlab|paper|both",
            description = "choose the settings of that method (its OSA grid grown until interior) and stop: no"
                    + " held-out chip or test image is read")
    String selectionOnly;

    @Option(names = "--validation-limit", defaultValue = "0",
            description = "choose settings on the first N validation images only, 0 for all 5,000"
                    + " (default: ${DEFAULT-VALUE})")
    int validationLimit;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    LearningRunOptions.Threads threads = new LearningRunOptions.Threads(2);

    /** Runs the command on its own, before the {@code rramlab} launcher wires it in. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new ReproduceCommand()).execute(args));
    }

    /** {@code with(options, value)} when the option was given, else the options as they are. */
    private static <T> ReproduceOptions given(ReproduceOptions options, T value,
                                              BiFunction<ReproduceOptions, T, ReproduceOptions> with) {
        return value == null ? options : with.apply(options, value);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The command as typed, for the result's provenance. */
    private String commandLine() {
        List<String> args = spec != null && spec.commandLine().getParseResult() != null
                ? spec.commandLine().getParseResult().originalArgs() : List.of();
        // the parse result holds the whole command line, the subcommand's name included
        return "rramlab " + (args.isEmpty() || !args.get(0).equals("reproduce") ? "reproduce " : "")
                + String.join(" ", args);
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
        threads.apply();
        Path dir = dataDir != null ? dataDir : DatasetRepository.defaultDataDir();
        ReproduceOptions options;
        RunSettings settings;
        try {
            int bits = "ideal".equalsIgnoreCase(adcBits) ? 0 : Integer.parseInt(adcBits);
            if (bits == 0 && !"ideal".equalsIgnoreCase(adcBits)) {
                throw new IllegalArgumentException("--adc-bits must be 2..16 or 'ideal', got 0");
            }
            require(epochs == null || epochs.size() == 2 && epochs.stream().allMatch(e -> e >= 1),
                    "--epochs takes TEACHER,STUDENT, each at least 1, got " + epochs);
            require(osaLearningRates == null || osaLearningRates.stream().allMatch(r -> r > 0),
                    "--osa-learning-rates must be > 0, got " + osaLearningRates);
            require(budgets == null || budgets.stream().allMatch(b -> b > 0 && b < 1),
                    "--budgets must be fractions in (0, 1), got " + budgets);
            require(osaEpochs == null || osaEpochs.stream().allMatch(e -> e >= 0),
                    "--osa-epochs must be >= 0, got " + osaEpochs);
            options = ReproduceOptions.of(kind, quick, chips, chipSeed, dir, seed, retrain, bits).withRepair(repair);
            // each option given on the command line replaces the preset's value
            options = given(options, architecture == null ? null : Architecture.parse(architecture),
                    ReproduceOptions::withArchitecture);
            options = given(options, teachers, ReproduceOptions::withTeachers);
            options = given(options, calibration, ReproduceOptions::withCalibration);
            options = given(options, gridRounds, ReproduceOptions::withGridRounds);
            options = given(options, trainLimit, ReproduceOptions::withTrainLimit);
            options = given(options, epochs, (o, e) -> o.withEpochs(e.get(0), e.get(1)));
            options = given(options, osaLearningRates, ReproduceOptions::withOsaLearningRates);
            options = given(options, quantiles, ReproduceOptions::withQuantiles);
            options = given(options, tuningChips, ReproduceOptions::withTuningChips);
            options = given(options, budgets, ReproduceOptions::withBudgets);
            options = given(options, osaEpochs, ReproduceOptions::withOsaEpochs);
            settings = new RunSettings(Provenance.gitCommit(), commandLine(), !defaultMappingOnly, validationLimit,
                    testLimit, selectionOnly);
        } catch (NumberFormatException e) {
            System.err.println("--adc-bits must be a number of bits (2..16) or 'ideal', got '" + adcBits + "'");
            return 2;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Map<String, Object> result;
        try {
            Reproduction r = new Reproduction(options, settings, System.out);
            result = variantsOnly ? r.runMappingVariants() : r.run();
        } catch (DatasetFormatException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (json.json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.json.toFile(), result);
            System.out.println("results written to " + json.json);
        }
        return 0;
    }
}
