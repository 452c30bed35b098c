package org.rramlab.learning.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.drift.ProgrammingRepair;
import org.rramlab.learning.hil.ColumnAdc;
import org.rramlab.learning.osa.Hardware;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.osa.Importance;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.learning.osa.OsaRound;
import org.rramlab.learning.osa.Placement;

/**
 * Simulated chips and what is done on them: map a network, read it, run OSA on one read and score on a
 * fresh one. Used alike for tuning chips (scored on validation images) and held-out chips (on t10k).
 */
final class ChipBench {
    static final int SRAM_BITS = 8;
    /** Images per read when a mapping variant draws its spread anew at every read. */
    static final int READ_IMAGES = 500;
    private static final int OSA_BATCH = 64;
    private static final int IMPORTANCE_BATCH = 256;

    /**
     * One OSA method with its settings: the paper's or rramlab's; {@code repair} is the share of weights
     * written once more with write-verify after programming (0: one-shot programming, as in the paper);
     * {@code weightScale}: the SRAM scale from the layer's max|w| (what the paper's method knows) instead of
     * the measured error.
     */
    record Method(String name, Placement placement, boolean startFromError, double quantile, int epochs,
                  double learningRate, double repair, boolean weightScale) {
        Method(String name, Placement placement, boolean startFromError, double quantile, int epochs,
               double learningRate) {
            this(name, placement, startFromError, quantile, epochs, learningRate, 0, !startFromError);
        }

        Method withRepair(double share) {
            return new Method(name, placement, startFromError, quantile, epochs, learningRate, share, weightScale);
        }

        /** The row's key: the method's name, and its programming when that is not one-shot. */
        String label() {
            return repair == 0 ? name : name + "+write-verify";
        }
    }

    private final DevicePreset preset;
    private final Dataset calibration;
    private final float[] calibrationLogits;
    private final Dataset roundCheck;
    private final ReproduceOptions o;

    ChipBench(DevicePreset preset, Dataset calibration, float[] calibrationLogits, Dataset roundCheck,
              ReproduceOptions o) {
        this.preset = preset;
        this.calibration = calibration;
        this.calibrationLogits = calibrationLogits;
        this.roundCheck = roundCheck;
        this.o = o;
    }

    WeightMapping plan(Network net, double quantile) {
        return Mapper.plan(net, preset, MappingConfig.defaults().withWMaxQuantile(quantile), "chip");
    }

    /** The column ADCs for a network as mapped with this quantile, or null for an exact MAC. */
    ColumnAdc adc(Network net, double quantile, Dataset images) {
        if (o.adcBits() == 0) {
            return null;
        }
        return ColumnAdc.calibrate(net, plan(net, quantile).targetWeights(), images, o.adcBits(),
                MappingConfig.defaults().tileRows());
    }

    /** A chip: one array per array id of the network's mapping, fabricated from the chip's seed. */
    Chip fabricate(Network layout, long chipSeed) {
        WeightMapping m = plan(layout, 1.0);
        Map<String, RramArray> arrays = new LinkedHashMap<>();
        int a = 0;
        for (String id : m.arrayIds()) {
            arrays.put(id, new SimulatedArray(id + "-" + chipSeed, preset, m.config().arrayRows(), m.config().arrayCols(),
                    chipSeed * 1000 + a++));
        }
        return new Chip(chipSeed, arrays);
    }

    final class Chip implements AutoCloseable {
        final long seed;
        private final Map<String, RramArray> arrays;
        private int reads;
        private ProgrammingRepair.Outcome lastRepair = ProgrammingRepair.Outcome.NONE;

        private Chip(long seed, Map<String, RramArray> arrays) {
            this.seed = seed;
            this.arrays = arrays;
        }

        /** Programs the network and scores it on a read of its own: no help. */
        double mapped(Network net, double quantile, ColumnAdc adc, Dataset data) {
            WeightMapping m = plan(net, quantile);
            Mapper.program(m, arrays).toCompletableFuture().join();
            return Hardware.accuracy(net, data, read(m), null, adc);
        }

        /**
         * Programs the network; on one read computes importance and trains an SRAM branch per budget; scores
         * each branch, and the network alone, on fresh reads.
         *
         * @return accuracy without SRAM, then one per budget
         */
        List<Double> osa(Network net, Method method, List<Double> budgets, ColumnAdc adc, Dataset data) {
            WeightMapping m = plan(net, method.quantile());
            Mapper.program(m, arrays).toCompletableFuture().join();
            lastRepair = ProgrammingRepair.run(m, arrays, net, calibration, method.repair());
            reads += lastRepair.weights() > 0 ? 2 : 0;
            List<float[]> trainingRead = read(m);
            List<Double> out = new ArrayList<>();
            out.add(Hardware.accuracy(net, data, read(m), null, adc));
            Importance importance = Importance.compute(net, trainingRead, calibration, IMPORTANCE_BATCH);
            for (double budget : budgets) {
                OsaConfig cfg = new OsaConfig(budget, method.placement(), SRAM_BITS, method.epochs(), OSA_BATCH,
                        method.learningRate(), o.seed() * 7919 + seed, o.alpha(), o.temperature(),
                        method.startFromError()).withWeightScale(method.weightScale());
                OsaResult r = OsaRound.run(net, trainingRead, calibration, calibrationLogits, roundCheck, cfg,
                        importance, adc, e -> { });
                out.add(Hardware.accuracy(net, data, read(m), r.branch(), adc));
            }
            return out;
        }

        /**
         * Programs every weight with write-verify (no SRAM, no area) and scores it on a fresh read: the zero-area
         * baseline.
         *
         * @return accuracy and the write-verify pulses it took
         */
        double[] writeVerified(Network net, double quantile, ColumnAdc adc, Dataset data) {
            WeightMapping planned = plan(net, quantile);
            MappingConfig c = planned.config();
            WeightMapping m = new WeightMapping(planned.preset(), planned.levels(), planned.gMinSiemens(),
                    planned.gMaxSiemens(), new MappingConfig(c.tileRows(), c.tileCols(), c.arrayRows(), c.arrayCols(),
                    true, c.wMaxQuantile()), planned.arrayIds(), planned.layers());
            long pulses = Mapper.program(m, arrays).toCompletableFuture().join().stream()
                    .mapToLong(org.rramlab.device.ProgramResult::pulses).sum();
            return new double[] {Hardware.accuracy(net, data, read(m), null, adc), pulses};
        }

        /**
         * The network's weights drawn from a mapping variant (software devices, not these arrays), scored. A variant
         * whose spread is drawn per read is scored read by read, {@value ChipBench#READ_IMAGES} images each, its stuck
         * devices the same in every read.
         */
        double variant(Network net, org.rramlab.learning.mapping.MappingVariant v, ColumnAdc adc, Dataset data,
                       long stream) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed * 1_000_003L + stream);
            if (!v.perRead()) {
                List<float[]> w = new ArrayList<>();
                for (int l = 0; l < net.weightedLayers().size(); l++) {
                    w.add(v.sample(net.weightValues(l), preset, random));
                }
                return Hardware.accuracy(net, data, w, null, adc);
            }
            double correct = 0;
            long fabricationSeed = random.nextLong();
            for (int from = 0; from < data.count(); from += READ_IMAGES) {
                int to = Math.min(data.count(), from + READ_IMAGES);
                java.util.SplittableRandom fabrication = new java.util.SplittableRandom(fabricationSeed);
                List<float[]> w = new ArrayList<>();
                for (int l = 0; l < net.weightedLayers().size(); l++) {
                    w.add(v.sample(net.weightValues(l), preset, fabrication, random));
                }
                correct += Hardware.accuracy(net, data.slice(from, to), w, null, adc) * (to - from);
            }
            return correct / data.count();
        }

        /** A fresh read of every tile: new read noise each time. */
        private List<float[]> read(WeightMapping m) {
            reads++;
            return Mapper.read(m, arrays).toCompletableFuture().join().effectiveWeights(m);
        }

        /** What the last {@link #osa} spent on write-verify repair (nothing for one-shot programming). */
        ProgrammingRepair.Outcome lastRepair() {
            return lastRepair;
        }

        /** Reads of the whole mapping so far (each one fresh). */
        int reads() {
            return reads;
        }

        @Override
        public void close() {
            arrays.values().forEach(RramArray::close);
        }
    }
}
