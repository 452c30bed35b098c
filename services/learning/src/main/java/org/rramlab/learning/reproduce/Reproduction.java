package org.rramlab.learning.reproduce;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.TreeMap;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.area.AreaReport;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.data.Splits;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;
import org.rramlab.learning.drift.ProgrammingRepair;
import org.rramlab.learning.hil.ColumnAdc;
import org.rramlab.learning.osa.Hardware;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.kd.TrainingEvent;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.MappingVariant;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.Placement;

/**
 * The paper's experiment, run so that a reviewer can accept its figures:
 * <ol>
 *   <li>teacher and KD students are trained on the fitting images ({@link Splits}); t10k is not looked at
 *       until a figure is reported;</li>
 *   <li>every setting that is chosen (the student's w_max quantile, OSA epochs and learning rate of each
 *       method) is chosen by its validation accuracy on tuning chips, which are other fabrication seeds than
 *       the held-out evaluation chips; the budget is not chosen: it is the largest SRAM within the paper's
 *       7.86 % of the area model, plus fixed others;</li>
 *   <li>on each held-out chip, both methods, the paper's (max|w|, importance sampling, SRAM trained from
 *       zero) and rramlab's (chosen quantile, measured placement, SRAM from the measured error), train on one
 *       read of the arrays and are scored on a fresh read (new read noise), through the column ADCs.</li>
 * </ol>
 */
public final class Reproduction {
    /** Validation images an OSA round scores itself on (its own figure is not reported). */
    private static final int ROUND_CHECK_IMAGES = 500;
    /** Calibration images that set the ADCs' full scale. */
    private static final int ADC_CALIBRATION_IMAGES = 500;

    private final ReproduceOptions o;
    private final PrintStream log;
    private final Map<String, Double> timings = new LinkedHashMap<>();
    private final RunSettings settings;

    /** A whole run on every image, without provenance (a library or a test). */
    public Reproduction(ReproduceOptions options, PrintStream log) {
        this(options, RunSettings.DEFAULT, log);
    }

    public Reproduction(ReproduceOptions options, RunSettings settings, PrintStream log) {
        this.o = options;
        this.settings = settings;
        this.log = log;
    }

    public Map<String, Object> run() throws IOException {
        long start = System.nanoTime();
        Inputs inputs = inputs();
        say("data: %s, %d fitting, %d validation (%s) and %d test images", o.dataset().id(), inputs.fit().count(),
                inputs.validation().count(), inputs.splits().validationRange(), inputs.test().count());
        List<Long> teacherSeeds = o.teacherSeeds();

        // ---- the first teacher and its students: every setting is chosen with them ----
        long t = System.nanoTime();
        long seed0 = teacherSeeds.get(0);
        Network teacher0 = teacher(inputs, seed0);
        double teacherValidation = Evaluator.accuracy(teacher0, inputs.validation(), WeightSource.MASTER);
        lap("teacher", t);
        // the teacher's logits on the fitting images only matter when a student must be trained
        float[] fitLogits0 = o.quantiles().stream().allMatch(q -> inputs.store().exists(inputs.studentName(seed0, q)))
                && !o.retrain() ? null : Evaluator.logits(teacher0, inputs.fit(), WeightSource.MASTER);
        t = System.nanoTime();
        Map<Double, Network> students0 = new LinkedHashMap<>();
        Map<Double, Double> studentValidation = new LinkedHashMap<>();
        for (double q : o.quantiles()) {
            Network s = student(inputs, teacher0, fitLogits0, q, seed0);
            students0.put(q, s);
            studentValidation.put(q, Evaluator.accuracy(s, inputs.validation(), WeightSource.MASTER));
        }
        lap("students", t);

        ChipBench bench0 = bench(inputs, teacher0);

        int tiles = bench0.plan(teacher0, 1.0).layers().stream().mapToInt(l -> l.tiles().size()).sum();
        AreaModel area = new AreaModel(AreaParameters.neurosim65nm(), tiles);
        long rramWeights = teacher0.weightCount();
        double headline = area.fractionForMacroCost(rramWeights, ReproduceOptions.PAPER_AREA_COST);
        TreeSet<Double> budgetSet = new TreeSet<>(o.budgets());
        budgetSet.add(headline);
        List<Double> budgets = List.copyOf(budgetSet);
        say("area model: the largest SRAM within %.2f %% of the RRAM macro is %.3f %% of the weights (%d), %d tiles",
                100 * ReproduceOptions.PAPER_AREA_COST, 100 * headline, Math.round(headline * rramWeights), tiles);

        // ---- selection: first teacher, tuning chips, validation images, fresh reads ----
        t = System.nanoTime();
        Selection sel = new Selection(o, bench0, inputs.validation(), inputs.adcImages(), headline, this::say);
        if (settings.selectionOnly() != null) {
            if (!settings.selectionOnly().equals("paper")) {
                double qs = sel.chooseQuantile(students0);
                sel.chooseOsa("rramlab", students0.get(qs), qs, Placement.MEASURED, true);
            }
            if (!settings.selectionOnly().equals("rramlab")) {
                sel.chooseOsa("paper", students0.get(1.0), 1.0, Placement.IMPORTANCE, false);
            }
            lap("selection", t);
            Map<String, Object> selection = sel.json(inputs.splits(), teacherValidation, studentValidation, headline);
            selection.put("teacher_seed", seed0);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dataset", o.dataset().id());
            out.put("architecture", o.architecture().id());
            out.put("quick", o.quick());
            out.put("date", Instant.now().toString());
            out.put("provenance", provenance(inputs.repository()));
            out.put("selection_only", settings.selectionOnly());
            out.put("teacher_validation_accuracy", teacherValidation);
            out.put("selection", selection);
            out.put("timings", timings);
            return out;
        }
        double q = sel.chooseQuantile(students0);
        ChipBench.Method rramlab = sel.chooseOsa("rramlab", students0.get(q), q, Placement.MEASURED, true);
        ChipBench.Method paper = sel.chooseOsa("paper", students0.get(1.0), 1.0, Placement.IMPORTANCE, false);
        lap("selection", t);
        // the repair row keeps rramlab's chosen settings: its share of weights is a programming cost, not tuned
        List<ChipBench.Method> methods = o.repairFraction() > 0
                ? List.of(paper, rramlab, rramlab.withRepair(o.repairFraction())) : List.of(paper, rramlab);
        for (Map.Entry<Double, Network> e : students0.entrySet()) {
            if (e.getKey() != q && e.getKey() != 1.0) {
                e.getValue().close();
            }
        }

        // ---- held-out chips, for every teacher: what is reported ----
        t = System.nanoTime();
        List<MappingVariant> variants = settings.allVariants() ? MappingVariant.presets()
                : MappingVariant.presets().stream().filter(v -> v.name().equals(MappingVariant.DEFAULT)).toList();
        List<Double> mapped = new ArrayList<>();
        List<Double> kdMapped = new ArrayList<>();
        Map<String, List<Double>> rows = new LinkedHashMap<>();
        Map<String, List<ProgrammingRepair.Outcome>> repairs = new LinkedHashMap<>();
        Map<String, List<Double>> variantAcc = new LinkedHashMap<>();
        Map<String, List<Double>> wvPulses = new LinkedHashMap<>();
        Map<String, List<Double>> exactDevices = new LinkedHashMap<>();
        List<Map<String, Object>> teacherRows = new ArrayList<>();
        for (int ti = 0; ti < teacherSeeds.size(); ti++) {
            long ts = teacherSeeds.get(ti);
            Network teacher;
            Network paperStudent;
            Network student;
            ChipBench bench;
            if (ti == 0) {
                teacher = teacher0;
                paperStudent = students0.get(1.0);
                student = students0.get(q);
                bench = bench0;
            } else {
                long tt = System.nanoTime();
                teacher = teacher(inputs, ts);
                float[] fitLogits = Evaluator.logits(teacher, inputs.fit(), WeightSource.MASTER);
                paperStudent = student(inputs, teacher, fitLogits, 1.0, ts);
                student = q == 1.0 ? paperStudent : student(inputs, teacher, fitLogits, q, ts);
                bench = bench(inputs, teacher);
                timings.merge("more_teachers_training_seconds", (System.nanoTime() - tt) / 1e9, Double::sum);
            }
            double teacherAcc = Evaluator.accuracy(teacher, inputs.test(), WeightSource.MASTER);
            Map<String, Object> tr = new LinkedHashMap<>();
            tr.put("seed", ts);
            tr.put("accuracy", teacherAcc);
            tr.put("validation_accuracy", Evaluator.accuracy(teacher, inputs.validation(), WeightSource.MASTER));
            teacherRows.add(tr);
            say("teacher seed %d: %.2f %% on t10k", ts, 100 * teacherAcc);
            try (ColumnAdc teacherAdc = bench.adc(teacher, 1.0, inputs.adcImages());
                 ColumnAdc paperAdc = bench.adc(paperStudent, 1.0, inputs.adcImages());
                 ColumnAdc studentAdc = q == 1.0 ? null : bench.adc(student, q, inputs.adcImages())) {
                ColumnAdc rramlabAdc = studentAdc != null ? studentAdc : paperAdc;
                // what mapping alone could reach: the network's own 10-level targets on exact devices, same ADC
                exactDevices.computeIfAbsent("teacher", k -> new ArrayList<>()).add(Hardware.accuracy(teacher,
                        inputs.test(), bench.plan(teacher, 1.0).targetWeights(), null, teacherAdc));
                exactDevices.computeIfAbsent("rramlab", k -> new ArrayList<>()).add(Hardware.accuracy(student,
                        inputs.test(), bench.plan(student, q).targetWeights(), null, rramlabAdc));
                exactDevices.computeIfAbsent("paper", k -> new ArrayList<>()).add(Hardware.accuracy(paperStudent,
                        inputs.test(), bench.plan(paperStudent, 1.0).targetWeights(), null, paperAdc));
                for (long chipSeed : o.evaluationSeeds()) {
                    try (ChipBench.Chip chip = bench.fabricate(teacher, chipSeed)) {
                        mapTeacher(chip, teacher, teacherAdc, inputs.test(), variants, ts, mapped, variantAcc);
                        for (ChipBench.Method m : methods) {
                            Network net = m == paper ? paperStudent : student;
                            ColumnAdc adc = m == paper ? paperAdc : rramlabAdc;
                            List<Double> acc = chip.osa(net, m, budgets, adc, inputs.test());
                            if (m == rramlab) {
                                kdMapped.add(acc.get(0));
                            }
                            for (int b = 0; b < acc.size(); b++) {
                                rows.computeIfAbsent(m.label() + "@" + b, k -> new ArrayList<>()).add(acc.get(b));
                            }
                            repairs.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(chip.lastRepair());
                            say("teacher %d, chip %d: %s KD mapped %.2f %%, with SRAM %s%s", ts, chipSeed, m.label(),
                                    100 * acc.get(0), percentages(acc.subList(1, acc.size())),
                                    repairNote(chip.lastRepair()));
                        }
                        for (String who : List.of("teacher", "rramlab-student")) {
                            Network net = who.equals("teacher") ? teacher : student;
                            double[] r = chip.writeVerified(net, who.equals("teacher") ? 1.0 : q,
                                    who.equals("teacher") ? teacherAdc : rramlabAdc, inputs.test());
                            rows.computeIfAbsent("write-verify-all:" + who, k -> new ArrayList<>()).add(r[0]);
                            wvPulses.computeIfAbsent(who, k -> new ArrayList<>()).add(r[1]);
                            say("teacher %d, chip %d: %s, every weight write-verified: %.2f %% (%d pulses)", ts, chipSeed,
                                    who, 100 * r[0], (long) r[1]);
                        }
                        say("teacher %d, chip %d: teacher mapped %.2f %%; variants %s", ts, chipSeed,
                                100 * mapped.get(mapped.size() - 1), lastOf(variantAcc));
                    }
                }
            }
            if (ti > 0) {
                if (student != paperStudent) {
                    student.close();
                }
                paperStudent.close();
                teacher.close();
            }
        }
        lap("evaluation", t);
        double teacherAcc = Stats.of(teacherRows.stream().map(r -> (Double) r.get("accuracy")).toList()).mean();
        timings.put("total_seconds", (System.nanoTime() - start) / 1e9);

        List<Map<String, Object>> osa = new ArrayList<>();
        for (ChipBench.Method m : methods) {
            List<Double> fractions = new ArrayList<>(List.of(0.0));
            fractions.addAll(budgets);
            for (int b = 0; b < fractions.size(); b++) {
                long k = Math.round(fractions.get(b) * rramWeights);
                AreaReport ar = area.report(rramWeights, k);
                Map<String, Object> row = row(m.name(), m.placement().name().toLowerCase(Locale.ROOT),
                        m == paper ? "paper-student" : "rramlab-student", rows.get(m.label() + "@" + b));
                row.put("programming", programmingJson(m, repairs.get(m.label())));
                row.put("sram_fraction", ar.sramFraction());
                row.put("sram_weights", k);
                row.put("area_cost", ar.macroCost());
                row.put("area_cost_cell", ar.cellOnlyCost());
                row.put("headline", fractions.get(b) == headline);
                row.put("sram_scale", m.weightScale() ? "layer max|w| / 127 (known without measuring)"
                        : "largest measured error at the positions / 127");
                osa.add(row);
            }
        }
        for (String who : List.of("teacher", "rramlab-student")) {
            Map<String, Object> row = row("write-verify-all", "none", who, rows.get("write-verify-all:" + who));
            Map<String, Object> prog = new LinkedHashMap<>();
            prog.put("kind", "every weight's devices programmed with write-verify");
            prog.put("pulses_per_chip", wvPulses.get(who));
            row.put("programming", prog);
            row.put("sram_fraction", 0.0);
            row.put("sram_weights", 0L);
            row.put("area_cost", 0.0);
            row.put("area_cost_cell", 0.0);
            row.put("headline", false);
            osa.add(row);
        }
        List<Map<String, Object>> variantRows = new ArrayList<>();
        for (MappingVariant v : variants) {
            variantRows.add(variantRow(v, variantAcc.get(v.name()), false));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", o.dataset().id());
        out.put("architecture", o.architecture().id());
        out.put("preset", inputs.preset().name());
        out.put("quick", o.quick());
        out.put("date", Instant.now().toString());
        out.put("provenance", provenance(inputs.repository()));
        out.put("validation_images", inputs.validation().count());
        out.put("test_images", inputs.test().count());
        out.put("teacher_accuracy", teacherAcc);
        out.put("teachers", teacherRows);
        out.put("statistics", "mean, std and 95 % interval (Student's t) over " + teacherSeeds.size()
                + " teacher(s) x " + o.chips() + " held-out chip(s), taken as independent draws; per_chip lists them"
                + " teacher by teacher");
        out.put("mapped_accuracy", Stats.of(mapped).mean());
        out.put("mapped_accuracy_stats", Stats.of(mapped).json());
        out.put("kd_mapped_accuracy", Stats.of(kdMapped).mean());
        out.put("kd_mapped_accuracy_stats", Stats.of(kdMapped).json());
        out.put("mapping_variants", variantRows);
        out.put("exact_device_accuracy", Map.of("what", "10-level targets on devices without variation, faults or"
                + " read noise, through the same column ADCs: what the mapped network alone could reach (trained SRAM can"
                + " add to it); mean over teachers", "teacher",
                Stats.of(exactDevices.get("teacher")).mean(), "rramlab_student", Stats.of(exactDevices.get("rramlab")).mean(),
                "paper_student", Stats.of(exactDevices.get("paper")).mean()));
        Map<String, Object> selection = sel.json(inputs.splits(), teacherValidation, studentValidation, headline);
        selection.put("teacher_seed", seed0);
        out.put("selection", selection);
        Map<String, Object> chips = new LinkedHashMap<>();
        chips.put("tuning_seeds", o.tuningSeeds());
        chips.put("evaluation_seeds", o.evaluationSeeds());
        out.put("chips", chips);
        out.put("fresh_read", true);
        out.put("adc_bits", o.adcBits() == 0 ? "ideal" : o.adcBits());
        out.put("area_model", areaJson(area, rramWeights, headline));
        out.put("energy_model", CostModels.energyJson(teacher0, inputs.preset(), bench0.plan(teacher0, 1.0), area,
                Math.round(headline * rramWeights), o.calibration(), rramlab.epochs()));
        out.put("osa", osa);
        out.put("config", configMap());
        out.put("timings", timings);
        printTable(osa, Stats.of(mapped), Stats.of(kdMapped), teacherAcc, q, variantRows);
        teacher0.close();
        students0.get(1.0).close();
        if (q != 1.0) {
            students0.get(q).close();
        }
        return out;
    }

    /** What every run reads first: the device preset, the dataset's splits and the model cache with its names' stem. */
    private record Inputs(DevicePreset preset, DatasetRepository repository, Splits splits, Dataset fit,
                          Dataset validation, Dataset test, Dataset calibration, Dataset adcImages, ModelStore store,
                          String base) {
        String teacherName(long seed) {
            return base + "-teacher" + (seed == 1 ? "" : "-s" + seed);
        }

        String studentName(long seed, double q) {
            return base + "-student-" + preset.name() + "-q" + q + (seed == 1 ? "" : "-s" + seed);
        }
    }

    private Inputs inputs() throws IOException {
        DevicePreset preset = DevicePreset.load(o.preset());
        DatasetRepository repository = new DatasetRepository(o.dataDir());
        Splits splits = Splits.of(repository.load(o.dataset()));
        Dataset fit = splits.fit(o.trainLimit());
        Dataset calibration = splits.calibration(o.calibration(), o.seed() + 17);
        return new Inputs(preset, repository, splits, fit, settings.validation(splits), settings.test(splits),
                calibration, calibration.head(ADC_CALIBRATION_IMAGES), new ModelStore(o.dataDir().resolve("models")),
                o.dataset().id() + "-" + o.architecture().id() + "-fit" + fit.count() + (o.quick() ? "-quick" : ""));
    }

    private static Map<String, Object> row(String method, String placement, String network, List<Double> values) {
        Stats s = Stats.of(values);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("method", method);
        row.put("placement", placement);
        row.put("network", network);
        row.put("accuracy", s.mean());
        row.put("accuracy_std", s.std());
        row.put("accuracy_ci95", s.ci95());
        row.put("per_chip", s.values());
        return row;
    }

    private static String lastOf(Map<String, List<Double>> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%s%s %.2f", b.length() == 0 ? "" : ", ", k,
                100 * v.get(v.size() - 1))));
        return b.toString();
    }

    /** The commit, the command line and the SHA-256 of every file of the dataset the run read. */
    private Map<String, Object> provenance(DatasetRepository repository) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("commit", settings.commit());
        p.put("command", settings.command());
        Map<String, String> sums = new TreeMap<>();
        Path dir = repository.folder(o.dataset());
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList()) {
                sums.put(f.getFileName().toString(), sha256(f));
            }
        }
        p.put("dataset_sha256", sums);
        p.put("java", System.getProperty("java.version"));
        return p;
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One-shot, or the repair's share of weights with the pulses and partner writes it took per chip. */
    private static Map<String, Object> programmingJson(ChipBench.Method m, List<ProgrammingRepair.Outcome> perChip) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (m.repair() == 0) {
            p.put("kind", "one-shot");
            return p;
        }
        p.put("kind", "one-shot, then write-verify of the costliest weights' devices");
        p.put("weight_share", m.repair());
        p.put("weights_per_chip", perChip.stream().map(ProgrammingRepair.Outcome::weights).toList());
        p.put("partner_writes_per_chip", perChip.stream().map(ProgrammingRepair.Outcome::partners).toList());
        p.put("pulses_per_chip", perChip.stream().map(ProgrammingRepair.Outcome::pulses).toList());
        return p;
    }

    private static String repairNote(ProgrammingRepair.Outcome r) {
        return r.weights() == 0 ? "" : String.format(Locale.ROOT, " (write-verify of %d weights, %d partner devices,"
                + " %d pulses)", r.weights(), r.partners(), r.pulses());
    }

    private Map<String, Object> areaJson(AreaModel area, long rramWeights, double headline) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", area.parameters().name());
        a.put("parameters", area.parameters().json());
        a.put("sram_index_bits", area.parameters().intValue("sram-index-bits"));
        a.put("rram_weights", rramWeights);
        a.put("rram_macro_f2_per_weight", area.rramMacroPerWeightF2());
        a.put("rram_peripheral_share", area.rramPeripheralShare());
        a.put("sram_array_f2_per_weight", area.sramArrayPerWeightF2());
        a.put("sram_logic_unit_f2", area.logicUnitF2());
        a.put("corrections_per_logic_unit", area.correctionsPerUnit());
        a.put("sram_fraction_within_paper_cost", headline);
        List<Map<String, Object>> sensitivity = new ArrayList<>();
        for (int bits : new int[] {0, 7, 13}) {
            AreaModel m = area.withIndexBits(bits);
            long k = m.weightsForMacroCost(rramWeights, ReproduceOptions.PAPER_AREA_COST);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("sram_index_bits", bits);
            s.put("sram_fraction_within_paper_cost_macro", (double) k / rramWeights);
            s.put("area_cost_cell_at_headline", m.report(rramWeights, Math.round(headline * rramWeights)).cellOnlyCost());
            s.put("area_cost_macro_at_headline", m.report(rramWeights, Math.round(headline * rramWeights)).macroCost());
            sensitivity.add(s);
        }
        a.put("index_bit_sensitivity", sensitivity);
        a.put("tiles", area.tiles());
        a.put("routed_tiles_at_headline", area.routedTiles(Math.round(headline * rramWeights)));
        a.put("sensitivity", CostModels.areaSensitivity(area, rramWeights, Math.round(headline * rramWeights)));
        return a;
    }

    /**
     * The teachers mapped under every reading of "10 levels, 50 % variance" on the held-out chips, and on the
     * simulated arrays, without students, selection or OSA: the mapping-drop study alone (minutes, not hours).
     * Teachers are loaded from the cache where they exist.
     */
    public Map<String, Object> runMappingVariants() throws IOException {
        long start = System.nanoTime();
        Inputs inputs = inputs();
        List<MappingVariant> variants = MappingVariant.presets();
        Map<String, List<Double>> variantAcc = new LinkedHashMap<>();
        List<Double> mapped = new ArrayList<>();
        List<Map<String, Object>> teacherRows = new ArrayList<>();
        for (long ts : o.teacherSeeds()) {
            try (Network teacher = teacher(inputs, ts)) {
                ChipBench bench = bench(inputs, teacher);
                double teacherAcc = Evaluator.accuracy(teacher, inputs.test(), WeightSource.MASTER);
                teacherRows.add(Map.of("seed", ts, "accuracy", teacherAcc));
                try (ColumnAdc teacherAdc = bench.adc(teacher, 1.0, inputs.adcImages())) {
                    for (long chipSeed : o.evaluationSeeds()) {
                        try (ChipBench.Chip chip = bench.fabricate(teacher, chipSeed)) {
                            mapTeacher(chip, teacher, teacherAdc, inputs.test(), variants, ts, mapped, variantAcc);
                            say("teacher %d, chip %d: teacher mapped %.2f %%; variants %s", ts, chipSeed,
                                    100 * mapped.get(mapped.size() - 1), lastOf(variantAcc));
                        }
                    }
                }
            }
        }
        List<Map<String, Object>> variantRows = new ArrayList<>();
        for (MappingVariant v : variants) {
            Map<String, Object> vr = variantRow(v, variantAcc.get(v.name()), true);
            variantRows.add(vr);
            say("%-40s %6.2f %% +- %5.2f (min %.2f)", v.name(), 100 * (Double) vr.get("accuracy"),
                    100 * (Double) vr.get("spread"), 100 * (Double) vr.get("min"));
        }
        Stats m = Stats.of(mapped);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", o.dataset().id());
        out.put("architecture", o.architecture().id());
        out.put("preset", inputs.preset().name());
        out.put("quick", o.quick());
        out.put("date", Instant.now().toString());
        out.put("provenance", provenance(inputs.repository()));
        out.put("teachers", teacherRows);
        out.put("held_out_chips", o.evaluationSeeds());
        out.put("teacher_mapped_arrays", Map.of("accuracy", m.mean(), "spread", m.std(), "accuracy_ci95", m.ci95(),
                "per_draw", mapped));
        out.put("mapping_variants", variantRows);
        out.put("seconds", (System.nanoTime() - start) / 1e9);
        return out;
    }

    /**
     * A mapping variant's row: mean, spread and 95 % interval over teachers x chips; with {@code draws}, also the
     * least and every draw (the variants-only run).
     */
    private static Map<String, Object> variantRow(MappingVariant v, List<Double> accuracies, boolean draws) {
        Stats s = Stats.of(accuracies);
        Map<String, Object> vr = new LinkedHashMap<>(v.json());
        vr.put("accuracy", s.mean());
        vr.put("spread", s.std());
        vr.put("accuracy_ci95", s.ci95());
        if (draws) {
            vr.put("min", accuracies.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
            vr.put("per_draw", accuracies);
        }
        vr.put("default", v.name().equals(MappingVariant.DEFAULT));
        vr.put("paper_mnist", 0.3176);
        return vr;
    }

    /** The teacher as mapped on {@code chip}, then under each mapping variant: one figure more in each list. */
    private static void mapTeacher(ChipBench.Chip chip, Network teacher, ColumnAdc adc, Dataset test,
                                   List<MappingVariant> variants, long teacherSeed, List<Double> mapped,
                                   Map<String, List<Double>> variantAcc) {
        mapped.add(chip.mapped(teacher, 1.0, adc, test));
        for (int v = 0; v < variants.size(); v++) {
            variantAcc.computeIfAbsent(variants.get(v).name(), k -> new ArrayList<>())
                    .add(chip.variant(teacher, variants.get(v), adc, test, teacherSeed * 100 + v));
        }
    }

    /** The chips' bench for one teacher: OSA distils from its logits on the calibration images. */
    private ChipBench bench(Inputs inputs, Network teacher) {
        return new ChipBench(inputs.preset(), inputs.calibration(),
                Evaluator.logits(teacher, inputs.calibration(), WeightSource.MASTER),
                inputs.validation().head(ROUND_CHECK_IMAGES), o);
    }

    private Network teacher(Inputs inputs, long seed) throws IOException {
        ModelStore store = inputs.store();
        String name = inputs.teacherName(seed);
        Dataset fit = inputs.fit();
        Dataset validation = inputs.validation();
        if (!o.retrain() && store.exists(name)) {
            say("teacher: loading cached %s", store.paramsFile(name));
            return store.load(name);
        }
        Network net = Network.create(o.architecture(), fit.channels(), fit.height(), fit.classes(), seed);
        TrainConfig cfg = TrainConfig.plain(o.teacherEpochs(), o.batchSize(), o.teacherLr(), seed);
        Trainer.train("teacher", net, WeightSource.MASTER, fit, null, cfg, validation, WeightSource.MASTER, progress());
        double acc = Evaluator.accuracy(net, validation, WeightSource.MASTER);
        Map<String, Object> training = new LinkedHashMap<>(cfg.asMap());
        training.put("fit_images", fit.count());
        training.put("accuracy_on", "validation");
        store.save(name, net, new ModelMetadata(o.architecture().id(), fit.channels(), fit.height(), fit.classes(),
                o.dataset().id(), acc, training, Instant.now().toString()));
        return net;
    }

    private Network student(Inputs inputs, Network teacher, float[] teacherLogits, double q, long seed)
            throws IOException {
        ModelStore store = inputs.store();
        String name = inputs.studentName(seed, q);
        Dataset fit = inputs.fit();
        Dataset validation = inputs.validation();
        if (!o.retrain() && store.exists(name)) {
            say("KD student (w_max quantile %s): loading cached %s", q, store.paramsFile(name));
            return store.load(name);
        }
        Network net = teacher.copy();
        TrainConfig cfg = new TrainConfig(o.studentEpochs(), o.batchSize(), o.studentLr(), seed + 1, o.alpha(),
                o.temperature());
        DeviceAwareWeights device = new DeviceAwareWeights(DeviceModel.of(inputs.preset()), seed, 0, q);
        Trainer.train("student q" + q, net, device, fit, teacherLogits, cfg, validation, device, progress());
        double acc = Evaluator.accuracy(net, validation, WeightSource.MASTER);
        Map<String, Object> training = new LinkedHashMap<>(cfg.asMap());
        training.put("device_aware", o.preset());
        training.put("initialized_from", "teacher");
        training.put("w_max_quantile", q);
        training.put("fit_images", fit.count());
        training.put("accuracy_on", "validation");
        store.save(name, net, new ModelMetadata(o.architecture().id(), fit.channels(), fit.height(), fit.classes(),
                o.dataset().id(), acc, training, Instant.now().toString()));
        return net;
    }

    private Consumer<TrainingEvent> progress() {
        return e -> {
            if (e instanceof TrainingEvent.EpochFinished f) {
                say("%s epoch %d/%d: loss %.4f, train %.2f %%, validation %.2f %%, %.0f images/s", f.phase(), f.epoch(),
                        f.epochs(), f.loss(), 100 * f.trainAccuracy(), 100 * f.testAccuracy(), f.imagesPerSecond());
            }
        };
    }

    private Map<String, Object> configMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("teacher_epochs", o.teacherEpochs());
        m.put("student_epochs", o.studentEpochs());
        m.put("batch_size", o.batchSize());
        m.put("alpha", o.alpha());
        m.put("temperature", o.temperature());
        m.put("calibration_images", o.calibration());
        m.put("sram_bits", ChipBench.SRAM_BITS);
        m.put("repair_weight_share", o.repairFraction());
        m.put("seed", o.seed());
        m.put("chip_seed", o.chipSeed());
        m.put("tile", MappingConfig.defaults().tileRows() + "x" + MappingConfig.defaults().tileCols());
        return m;
    }

    private void printTable(List<Map<String, Object>> osa, Stats mapped, Stats kdMapped, double teacherAcc, double q,
                            List<Map<String, Object>> variants) {
        PrintStream p = log;
        p.println();
        p.printf(Locale.ROOT, "%s, %s, preset %s, %d held-out chip(s) (seeds %s), ADC %s, fresh reads, t10k%n",
                o.dataset().id(), o.architecture().id(), o.preset(), o.chips(), o.evaluationSeeds(),
                o.adcBits() == 0 ? "ideal" : o.adcBits() + " bits");
        p.println("-------------------------------------------------------------------------------------");
        p.printf(Locale.ROOT, "%-46s %6.2f%n", "teacher, software (baseline)", 100 * teacherAcc);
        p.printf(Locale.ROOT, "%-46s %s%n", "teacher mapped, no help", mapped.pct());
        p.printf(Locale.ROOT, "%-46s %s%n", "KD student (w_max q " + q + ") mapped", kdMapped.pct());
        p.println("teacher mapped under each reading of '10 levels, 50 % variance' (software devices; paper: 31.76 %):");
        for (Map<String, Object> v : variants) {
            p.printf(Locale.ROOT, "  %-36s %6.2f ± %4.2f%s%n", v.get("name"), 100 * (double) v.get("accuracy"),
                    100 * (double) v.get("spread"), Boolean.TRUE.equals(v.get("default")) ? "  <- default" : "");
        }
        p.println("method            placement   SRAM %   area % macro / cell   accuracy % (mean ± std; 95 % CI)");
        for (Map<String, Object> r : osa) {
            @SuppressWarnings("unchecked")
            List<Double> ci = (List<Double>) r.get("accuracy_ci95");
            @SuppressWarnings("unchecked")
            boolean repaired = ((Map<String, Object>) r.get("programming")).containsKey("weight_share");
            p.printf(Locale.ROOT, "%-17s %-10s %6.3f   %6.2f / %6.2f        %6.2f ± %4.2f (%.2f-%.2f)%s%n",
                    r.get("method") + (repaired ? "+wv" : "")
                            + (r.get("method").equals("write-verify-all") ? ":" + r.get("network") : ""),
                    r.get("placement"), 100 * (double) r.get("sram_fraction"), 100 * (double) r.get("area_cost"),
                    100 * (double) r.get("area_cost_cell"), 100 * (double) r.get("accuracy"),
                    100 * (double) r.get("accuracy_std"), 100 * ci.get(0), 100 * ci.get(1),
                    Boolean.TRUE.equals(r.get("headline")) ? "  <- within 7.86 %" : "");
        }
        p.println("-------------------------------------------------------------------------------------");
        p.printf(Locale.ROOT, "timings: %s%n", timings);
    }

    private static String percentages(List<Double> v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(String.format(Locale.ROOT, "%s%.2f", b.length() == 0 ? "" : " / ", 100 * x));
        }
        return b.append(" %").toString();
    }

    private void lap(String name, long t0) {
        timings.put(name + "_seconds", (System.nanoTime() - t0) / 1e9);
    }

    void say(String format, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = new java.util.Date();
        System.arraycopy(args, 0, all, 1, args.length);
        log.printf(Locale.ROOT, "[%tT] " + format + "%n", all);
    }
}
