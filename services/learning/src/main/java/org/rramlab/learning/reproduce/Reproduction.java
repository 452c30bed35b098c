package org.rramlab.learning.reproduce;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.area.AreaReport;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;
import org.rramlab.learning.hil.HilEvaluator;
import org.rramlab.learning.hil.HilResult;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.kd.TrainingEvent;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;
import org.rramlab.learning.osa.Importance;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.learning.osa.OsaRound;
import org.rramlab.learning.osa.Placement;

/**
 * The paper's experiment end to end: teacher (trained or cached), mapped onto simulated chips and
 * read back; the device-aware KD student (trained or cached), mapped and read back; OSA over SRAM
 * budgets and placements; all over several chips. Returns the JSON-ready result.
 */
public final class Reproduction {
    private final ReproduceOptions o;
    private final PrintStream log;
    private final Map<String, Double> timings = new LinkedHashMap<>();

    public Reproduction(ReproduceOptions options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    public Map<String, Object> run() throws IOException {
        long start = System.nanoTime();
        DevicePreset preset = DevicePreset.load(o.preset());
        DataSplit data = new DatasetRepository(o.dataDir()).load(o.dataset());
        Dataset train = o.trainLimit() > 0 ? data.train().head(o.trainLimit()) : data.train();
        Dataset test = data.test();
        say("data: %s, %d training and %d test images", o.dataset().id(), train.count(), test.count());
        ModelStore store = new ModelStore(o.dataDir().resolve("models"));
        String base = o.dataset().id() + "-" + o.architecture().id() + (o.quick() ? "-quick" : "");

        long t = System.nanoTime();
        Network teacher = teacher(store, base + "-teacher", train, test);
        double teacherAcc = Evaluator.accuracy(teacher, test, WeightSource.MASTER);
        lap("teacher", t);
        say("teacher: %.2f %% test accuracy", 100 * teacherAcc);
        float[] teacherLogits = Evaluator.logits(teacher, train, WeightSource.MASTER);

        t = System.nanoTime();
        DeviceModel deviceModel = DeviceModel.of(preset);
        String studentName = base + "-student-" + preset.name()
                + (o.studentWMaxQuantile() < 1 ? "-q" + o.studentWMaxQuantile() : "");
        Network student = student(store, studentName, teacher, teacherLogits, train, test, deviceModel);
        double studentAcc = Evaluator.accuracy(student, test, WeightSource.MASTER);
        lap("student", t);
        say("KD student: %.2f %% test accuracy in software", 100 * studentAcc);

        Dataset calibration = train.sample(o.calibration(), o.seed() + 17, "calibration");
        float[] calibrationLogits = Evaluator.logits(teacher, calibration, WeightSource.MASTER);

        List<Double> mapped = new ArrayList<>();
        List<Double> kdMapped = new ArrayList<>();
        Map<String, List<Double>> osaAcc = new LinkedHashMap<>();
        Map<String, List<Double>> osaFraction = new LinkedHashMap<>();
        double hilSeconds = 0;
        double osaSeconds = 0;
        for (int chip = 0; chip < o.chips(); chip++) {
            long seed = o.seed() * 7919 + chip;
            WeightMapping teacherMap = Mapper.plan(teacher, preset, MappingConfig.defaults(), "chip" + chip);
            WeightMapping studentMap = Mapper.plan(student, preset,
                    MappingConfig.defaults().withWMaxQuantile(o.studentWMaxQuantile()), "chip" + chip);
            Map<String, RramArray> arrays = new LinkedHashMap<>();
            int a = 0;
            for (String id : teacherMap.arrayIds()) {
                arrays.put(id, new SimulatedArray(id, preset, teacherMap.config().arrayRows(),
                        teacherMap.config().arrayCols(), seed * 1000 + a++));
            }
            try {
                long h = System.nanoTime();
                Mapper.program(teacherMap, arrays).toCompletableFuture().join();
                HilResult tm = HilEvaluator.evaluate(teacher, teacherMap, arrays, test);
                Mapper.program(studentMap, arrays).toCompletableFuture().join();
                HilResult sm = HilEvaluator.evaluate(student, studentMap, arrays, test);
                hilSeconds += (System.nanoTime() - h) / 1e9;
                mapped.add(tm.accuracy());
                kdMapped.add(sm.accuracy());
                say("chip %d/%d: teacher mapped %.2f %%, KD student mapped %.2f %% (read %.2f s, eval %.2f s)",
                        chip + 1, o.chips(), 100 * tm.accuracy(), 100 * sm.accuracy(), sm.readSeconds(),
                        sm.evalSeconds());
                long s0 = System.nanoTime();
                Importance importance = Importance.compute(student, sm.weights(), calibration, 256);
                for (Placement placement : o.placements()) {
                    for (double budget : o.budgets()) {
                        OsaConfig cfg = new OsaConfig(budget, placement, 8, o.osaEpochs(), 64, 1e-3, seed,
                                o.alpha(), o.temperature());
                        OsaResult r = OsaRound.run(student, sm.weights(), calibration, calibrationLogits, test, cfg,
                                importance, e -> { });
                        String key = placement.name() + "@" + budget;
                        osaAcc.computeIfAbsent(key, k -> new ArrayList<>()).add(r.accuracy());
                        osaFraction.computeIfAbsent(key, k -> new ArrayList<>()).add(r.sramFraction());
                        say("  OSA %-10s %5.2f %% SRAM: %.2f %%", placement.name().toLowerCase(Locale.ROOT),
                                100 * r.sramFraction(), 100 * r.accuracy());
                    }
                }
                osaSeconds += (System.nanoTime() - s0) / 1e9;
            } finally {
                arrays.values().forEach(RramArray::close);
            }
        }
        timings.put("hil_seconds", hilSeconds);
        timings.put("osa_seconds", osaSeconds);
        timings.put("total_seconds", (System.nanoTime() - start) / 1e9);

        AreaModel area = new AreaModel(AreaParameters.neurosim65nm());
        long rramWeights = teacher.weightCount();
        List<Map<String, Object>> osa = new ArrayList<>();
        for (Placement placement : o.placements()) {
            for (double budget : o.budgets()) {
                String key = placement.name() + "@" + budget;
                Stats acc = Stats.of(osaAcc.get(key));
                double fraction = osaFraction.get(key).get(0);
                AreaReport ar = area.report(rramWeights, Math.round(fraction * rramWeights));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("placement", placement.name().toLowerCase(Locale.ROOT));
                row.put("sram_fraction", fraction);
                row.put("sram_weights", ar.sramWeights());
                row.put("area_cost", ar.macroCost());
                row.put("area_cost_cell_only", ar.cellOnlyCost());
                row.put("accuracy", acc.mean());
                row.put("accuracy_stats", acc.json());
                osa.add(row);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", o.dataset().id());
        out.put("architecture", o.architecture().id());
        out.put("preset", preset.name());
        out.put("chips", o.chips());
        out.put("quick", o.quick());
        out.put("date", Instant.now().toString());
        out.put("teacher_accuracy", teacherAcc);
        out.put("kd_accuracy", studentAcc);
        out.put("mapped_accuracy", Stats.of(mapped).mean());
        out.put("mapped_accuracy_stats", Stats.of(mapped).json());
        out.put("kd_mapped_accuracy", Stats.of(kdMapped).mean());
        out.put("kd_mapped_accuracy_stats", Stats.of(kdMapped).json());
        out.put("osa", osa);
        Map<String, Object> areaInfo = new LinkedHashMap<>();
        areaInfo.put("source", area.parameters().source());
        areaInfo.put("rram_weights", rramWeights);
        areaInfo.put("rram_macro_f2_per_weight", area.rramMacroPerWeightF2());
        areaInfo.put("sram_macro_f2_per_weight", area.sramMacroPerWeightF2());
        areaInfo.put("rram_peripheral_share", area.rramPeripheralShare());
        areaInfo.put("sram_fraction_at_7.86pct_macro", area.fractionForMacroCost(0.0786));
        out.put("area_model", areaInfo);
        out.put("config", configMap());
        out.put("timings", timings);
        printTable(out, osa, Stats.of(mapped), Stats.of(kdMapped), teacherAcc, studentAcc);
        teacher.close();
        student.close();
        return out;
    }

    private Network teacher(ModelStore store, String name, Dataset train, Dataset test) throws IOException {
        if (!o.retrain() && store.exists(name)) {
            say("teacher: loading cached %s", store.paramsFile(name));
            return store.load(name);
        }
        Network net = Network.create(o.architecture(), train.channels(), train.height(), train.classes(), o.seed());
        TrainConfig cfg = TrainConfig.plain(o.teacherEpochs(), o.batchSize(), o.teacherLr(), o.seed());
        Trainer.train("teacher", net, WeightSource.MASTER, train, null, cfg, test, WeightSource.MASTER, progress());
        double acc = Evaluator.accuracy(net, test, WeightSource.MASTER);
        store.save(name, net, new ModelMetadata(o.architecture().id(), train.channels(), train.height(),
                train.classes(), o.dataset().id(), acc, cfg.asMap(), Instant.now().toString()));
        return net;
    }

    private Network student(ModelStore store, String name, Network teacher, float[] teacherLogits, Dataset train,
                            Dataset test, DeviceModel deviceModel) throws IOException {
        if (!o.retrain() && store.exists(name)) {
            say("KD student: loading cached %s", store.paramsFile(name));
            return store.load(name);
        }
        Network net = teacher.copy();
        TrainConfig cfg = new TrainConfig(o.studentEpochs(), o.batchSize(), o.studentLr(), o.seed() + 1, o.alpha(),
                o.temperature());
        DeviceAwareWeights device = new DeviceAwareWeights(deviceModel, o.seed(), 0, o.studentWMaxQuantile());
        Trainer.train("student", net, device, train, teacherLogits, cfg, test, device, progress());
        double acc = Evaluator.accuracy(net, test, WeightSource.MASTER);
        Map<String, Object> training = new LinkedHashMap<>(cfg.asMap());
        training.put("device_aware", o.preset());
        training.put("initialized_from", "teacher");
        training.put("w_max_quantile", o.studentWMaxQuantile());
        store.save(name, net, new ModelMetadata(o.architecture().id(), train.channels(), train.height(),
                train.classes(), o.dataset().id(), acc, training, Instant.now().toString()));
        return net;
    }

    private Consumer<TrainingEvent> progress() {
        return e -> {
            if (e instanceof TrainingEvent.EpochFinished f) {
                say("%s epoch %d/%d: loss %.4f, train %.2f %%, test %.2f %%, %.0f images/s", f.phase(), f.epoch(),
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
        m.put("osa_epochs", o.osaEpochs());
        m.put("sram_bits", 8);
        m.put("student_w_max_quantile", o.studentWMaxQuantile());
        m.put("seed", o.seed());
        return m;
    }

    private void printTable(Map<String, Object> out, List<Map<String, Object>> osa, Stats mapped, Stats kdMapped,
                            double teacherAcc, double studentAcc) {
        PrintStream p = log;
        p.println();
        p.printf(Locale.ROOT, "%s, %s, preset %s, %d chip(s)%n", o.dataset().id(), o.architecture().id(), o.preset(),
                o.chips());
        p.println("---------------------------------------------------------------------------");
        p.printf(Locale.ROOT, "%-46s %s%n", "setting", "test accuracy % (mean ± std over chips)");
        p.printf(Locale.ROOT, "%-46s %6.2f%n", "teacher, software (baseline)", 100 * teacherAcc);
        p.printf(Locale.ROOT, "%-46s %s%n", "teacher mapped, no help", mapped.pct());
        p.printf(Locale.ROOT, "%-46s %6.2f%n", "KD student, software", 100 * studentAcc);
        p.printf(Locale.ROOT, "%-46s %s%n", "KD student mapped", kdMapped.pct());
        p.println("KD + OSA:   placement   SRAM %   area % (macro / cell only)   accuracy %");
        for (Map<String, Object> r : osa) {
            @SuppressWarnings("unchecked")
            Map<String, Object> st = (Map<String, Object>) r.get("accuracy_stats");
            p.printf(Locale.ROOT, "            %-10s %6.2f   %6.2f / %7.2f              %6.2f ± %4.2f%n",
                    r.get("placement"), 100 * (double) r.get("sram_fraction"), 100 * (double) r.get("area_cost"),
                    100 * (double) r.get("area_cost_cell_only"), 100 * (double) st.get("mean"),
                    100 * (double) st.get("std"));
        }
        p.println("---------------------------------------------------------------------------");
        p.printf(Locale.ROOT, "timings: %s%n", timings);
    }

    private void lap(String name, long t0) {
        timings.put(name + "_seconds", (System.nanoTime() - t0) / 1e9);
    }

    private void say(String format, Object... args) {
        log.printf(Locale.ROOT, "[%tT] " + format + "%n", prepend(new java.util.Date(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
