package org.rramlab.learning.drift;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.data.Splits;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;
import org.rramlab.learning.hil.ColumnAdc;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;

/**
 * Months of drift on simulated chips, one deployment per policy on the same chips (same seeds), the same
 * drift and the same write budgets; the arrays' clocks advance day by day (see {@link DriftDeployment}).
 * Every decision is taken on the {@link Splits} validation images (training images 55,000-59,999, never
 * trained on; calibration images are drawn from the fitting images only), on a read of its own; every
 * score is taken on another, fresh read through the column ADCs, on the test set (and validation beside).
 * The reference is the teacher in software; the deployed student's software accuracy is shown beside it.
 */
public final class DriftBench {
    /** Every policy, zero-area baselines first; the default comparison. */
    public static final List<String> ALL_POLICIES = List.of("none", "global-comp", "column-comp", "refresh-all", "osa",
            "full");
    public static final List<String> POLICIES = ALL_POLICIES;

    private final DriftBenchOptions o;
    private final PrintStream log;
    private final AreaModel area = new AreaModel(AreaParameters.neurosim65nm());

    /** Where the latest run's results are kept in a data dir (the dashboard's drift-benchmark panel reads them). */
    public static Path latestResults(Path dataDir) {
        return dataDir.resolve("benchmarks").resolve("drift.json");
    }

    public DriftBench(DriftBenchOptions options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    /** The data and network every policy shares. */
    record Setup(Network net, Dataset validation, Dataset test, Dataset calibration, float[] teacherLogits,
                 DevicePreset preset, WeightMapping mapping, double software, double softwareValidation,
                 String validationRange, String model, double teacher, double teacherValidation, ColumnAdc adc) {}

    public Map<String, Object> run() throws IOException {
        long start = System.nanoTime();
        Setup s = setup();
        say("reference (teacher in software): %.2f %% test, %.2f %% validation; student in software: %.2f %% test,"
                        + " %.2f %% validation; %d weights on %d arrays", 100 * s.teacher(), 100 * s.teacherValidation(),
                100 * s.software(), 100 * s.softwareValidation(), s.mapping().weightCount(), s.mapping().arrayIds().size());
        List<Map<String, Object>> policies = new ArrayList<>();
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (String policy : o.policies()) {
            Map<String, Object> r = new DriftDeployment(o, s, policy, area, log).run();
            policies.add(r);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> timeline = (List<Map<String, Object>>) r.get("timeline");
            curves.put(policy, timeline.stream().map(p -> new double[] {(double) p.get("day"), (double) p.get("accuracy")})
                    .toList());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", "teacher");
        out.put("reference_accuracy", s.teacher());
        out.put("reference_validation_accuracy", s.teacherValidation());
        out.put("fresh_read", true);
        out.put("student_software_accuracy", s.software());
        out.put("software_accuracy", s.software());
        out.put("software_validation_accuracy", s.softwareValidation());
        out.put("validation", s.validationRange());
        out.put("model", s.model());
        out.put("policies", policies);
        out.put("date", Instant.now().toString());
        out.put("days", o.days());
        out.put("check_every_days", o.cadenceDays());
        out.put("quick", o.quick());
        out.put("preset", s.preset().name());
        out.put("architecture", o.architecture().id());
        out.put("chip_seed", o.chipSeed() != 0 ? o.chipSeed() : o.seed() * 7919);
        out.put("student_seed", o.studentSeed());
        out.put("adc_bits", o.adcBits() == 0 ? "ideal" : o.adcBits());
        out.put("temperature_kelvin", o.temperatureKelvin() > 0 ? o.temperatureKelvin()
                : s.preset().drift().referenceTemperatureKelvin());
        DriftBenchOptions.Levers l = o.levers();
        Supervision.Budget b = FullPolicy.rules(o).budget();
        out.put("levers", Map.of("deploy_epochs", l.deployEpochs() > 0 ? l.deployEpochs() : o.osaEpochs(),
                "deploy_repair", l.deployRepair(), "threshold_points", o.rules().thresholdPoints(), "offsets", l.offsets(),
                "writes_per_month", b.writesPerMonth(), "share_per_refresh", b.sharePerRefresh(),
                "max_writes_per_device", b.maxWritesPerDevice(), "gains", "layer"));
        out.put("threads", Integer.getInteger("rramlab.threads", 0));
        out.put("osa_epochs", o.osaEpochs());
        out.put("calibration_images", s.calibration().count());
        out.put("validation_images", s.validation().count());
        out.put("seconds", (System.nanoTime() - start) / 1e9);
        if (o.png() != null) {
            DriftChart.write(o.png(), s.software(), curves);
            say("chart written to %s", o.png());
        }
        s.net().close();
        if (s.adc() != null) {
            s.adc().close();
        }
        return out;
    }

    private Setup setup() throws IOException {
        Splits splits = Splits.of(new DatasetRepository(o.dataDir()).load(o.dataset()));
        Dataset train = splits.fit(o.trainLimit());
        Dataset validation = o.validationImages() > 0 && o.validationImages() < splits.validation().count()
                ? splits.validation().head(o.validationImages()) : splits.validation();
        String range = "training images " + splits.fitEnd() + "-" + (splits.fitEnd() + validation.count() - 1);
        Dataset calibration = splits.calibration(o.calibrationImages(), o.seed() + 17);
        say("data: %d fitting, %d validation (%s), %d calibration (from the fitting images), %d test images",
                train.count(), validation.count(), range, calibration.count(), splits.test().count());
        DevicePreset preset = DevicePreset.load(o.preset());
        ModelStore store = new ModelStore(o.dataDir().resolve("models"));
        // quick: the bench's own MLP; else the LeNet-5 that `reproduce --quick` trains, under its names
        String core = o.dataset().id() + "-" + o.architecture().id() + "-fit" + train.count();
        String base = o.quick() ? "drift-bench-" + core : core + "-quick";
        Network teacher = teacher(store, base + "-teacher", train, validation);
        String studentName = base + "-student-" + preset.name() + (o.quick() ? "" : "-q" + o.wMaxQuantile())
                + (o.studentSeed() == 1 ? "" : "-s" + o.studentSeed());
        Network net = student(store, studentName, teacher, train, validation, preset);
        float[] calibrationLogits = Evaluator.logits(teacher, calibration, WeightSource.MASTER);
        double teacherTest = Evaluator.accuracy(teacher, splits.test(), WeightSource.MASTER);
        double teacherValidation = Evaluator.accuracy(teacher, validation, WeightSource.MASTER);
        teacher.close();
        MappingConfig mc = MappingConfig.defaults().withWMaxQuantile(o.wMaxQuantile());
        WeightMapping mapping = Mapper.plan(net, preset, mc, "drift");
        // the ADCs of `reproduce`: full scale set once from calibration images and the intended weights
        ColumnAdc adc = o.adcBits() == 0 ? null : ColumnAdc.calibrate(net, mapping.targetWeights(),
                calibration.head(Math.min(500, calibration.count())), o.adcBits(), mc.tileRows());
        return new Setup(net, validation, splits.test(), calibration, calibrationLogits, preset, mapping,
                Evaluator.accuracy(net, splits.test(), WeightSource.MASTER),
                Evaluator.accuracy(net, validation, WeightSource.MASTER), range, studentName, teacherTest,
                teacherValidation, adc);
    }

    private Network teacher(ModelStore store, String name, Dataset train, Dataset validation) throws IOException {
        if (store.exists(name)) {
            say("teacher: loading cached %s", name);
            return store.load(name);
        }
        Network net = Network.create(o.architecture(), train.channels(), train.height(), train.classes(), o.seed());
        TrainConfig cfg = TrainConfig.plain(o.teacherEpochs(), o.batchSize(), o.teacherLr(), o.seed());
        Trainer.train("teacher", net, WeightSource.MASTER, train, null, cfg, null, null, e -> { });
        save(store, name, net, train, validation, cfg.asMap());
        return net;
    }

    /** The deployed network: a student distilled from the teacher under the device model (as the demo deploys). */
    private Network student(ModelStore store, String name, Network teacher, Dataset train, Dataset validation,
                            DevicePreset preset) throws IOException {
        if (store.exists(name)) {
            say("KD student: loading cached %s", name);
            return store.load(name);
        }
        float[] teacherLogits = Evaluator.logits(teacher, train, WeightSource.MASTER);
        Network net = teacher.copy();
        // the student's seed drives its device samples and its batches: another seed, an independently trained student
        long seed = o.studentSeed() == 1 ? o.seed() : o.studentSeed() * 104_729;
        TrainConfig cfg = new TrainConfig(o.studentEpochs(), o.batchSize(), o.studentLr(), seed + 1, 0.5, 2.0);
        DeviceAwareWeights device = new DeviceAwareWeights(DeviceModel.of(preset), seed, 0, o.wMaxQuantile());
        Trainer.train("student", net, device, train, teacherLogits, cfg, null, null, e -> { });
        Map<String, Object> training = new LinkedHashMap<>(cfg.asMap());
        training.put("device_aware", preset.name());
        training.put("initialized_from", "teacher");
        training.put("w_max_quantile", o.wMaxQuantile());
        save(store, name, net, train, validation, training);
        return net;
    }

    private void save(ModelStore store, String name, Network net, Dataset train, Dataset validation,
                      Map<String, Object> training) throws IOException {
        Map<String, Object> t = new LinkedHashMap<>(training);
        t.put("fit_images", train.count());
        t.put("accuracy_on", "validation");
        store.save(name, net, new ModelMetadata(o.architecture().id(), train.channels(), train.height(), train.classes(),
                o.dataset().id(), Evaluator.accuracy(net, validation, WeightSource.MASTER), t, Instant.now().toString()));
    }


    private void say(String format, Object... args) {
        log.printf(Locale.ROOT, format + "%n", args);
    }
}
