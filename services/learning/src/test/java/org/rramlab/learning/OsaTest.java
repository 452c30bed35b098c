package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.osa.Hardware;
import org.rramlab.learning.hil.HilEvaluator;
import org.rramlab.learning.hil.HilResult;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;
import org.rramlab.learning.osa.OsaConfig;
import org.rramlab.learning.osa.OsaResult;
import org.rramlab.learning.osa.OsaRound;
import org.rramlab.learning.osa.Placement;
import org.rramlab.learning.osa.SramBranch;

class OsaTest {
    @TempDir
    Path dir;

    @Test
    void osaRepairsADamagedNetworkWithoutTouchingTheRram() throws Exception {
        DataSplit data = Fixtures.data(dir, 600);
        try (Network net = Fixtures.trainedMlp(data, 8)) {
            double software = Evaluator.accuracy(net, data.test(), WeightSource.MASTER);
            assertTrue(software > 0.9, "the MLP should learn the generated classes, got " + software);

            WeightMapping mapping = Mapper.plan(net, Fixtures.PRESET, MappingConfig.defaults(), "chip");
            Map<String, IdealArray> arrays = Fixtures.idealArrays(mapping);
            // damage: 20 % of cells stuck at Gmax (each flips its weight towards +-w_max)
            SplittableRandom random = new SplittableRandom(4);
            for (IdealArray a : arrays.values()) {
                for (int r = 0; r < a.rows(); r++) {
                    for (int c = 0; c < a.cols(); c++) {
                        if (random.nextDouble() < 0.2) {
                            a.stickHigh(r, c);
                        }
                    }
                }
            }
            Mapper.program(mapping, Fixtures.asArrays(arrays)).toCompletableFuture().join();
            HilResult hil = HilEvaluator.evaluate(net, mapping, Fixtures.asArrays(arrays), data.test());
            assertTrue(hil.accuracy() < software - 0.1, "the damage should hurt: " + hil.accuracy() + " vs " + software);

            int programmed = arrays.values().stream().mapToInt(a -> a.programCalls.get()).sum();
            List<float[]> before = new ArrayList<>();
            hil.weights().forEach(w -> before.add(w.clone()));

            OsaConfig config = new OsaConfig(0.15, Placement.MEASURED, 8, 6, 32, 3e-3, 1, 1.0, 2.0);
            OsaResult r = OsaRound.run(net, hil.weights(), data.train(), null, data.test(), config, e -> { });

            assertTrue(r.accuracy() > hil.accuracy() + 0.1,
                    "OSA should repair the network: " + hil.accuracy() + " -> " + r.accuracy());
            assertEquals(hil.accuracy(), r.accuracyBefore(), 1e-12);
            assertEquals(Math.round(0.15 * net.weightCount()), r.sramWeights());
            // RRAM untouched: same measured weights, no programming, same conductances on a fresh read
            for (int l = 0; l < before.size(); l++) {
                assertArrayEquals(before.get(l), hil.weights().get(l));
            }
            assertEquals(programmed, arrays.values().stream().mapToInt(a -> a.programCalls.get()).sum());
            HilResult again = HilEvaluator.evaluate(net, mapping, Fixtures.asArrays(arrays), data.test());
            assertEquals(hil.accuracy(), again.accuracy(), 1e-12);
            // the branch holds 8-bit codes and, added to the measured weights, gives the reported accuracy
            r.branch().layers().forEach(l -> {
                for (int code : l.codes()) {
                    assertTrue(code >= -128 && code <= 127);
                }
            });
            try (var w = new org.rramlab.learning.hil.MeasuredWeights(net, r.branch().addTo(hil.weights()))) {
                assertEquals(r.accuracy(), Evaluator.accuracy(net, data.test(), w), 0.02);
            }
        }
    }

    @Test
    void placementsSpendTheSameBudget() throws Exception {
        DataSplit data = Fixtures.data(dir, 200);
        try (Network net = Fixtures.trainedMlp(data, 2)) {
            List<float[]> measured = new ArrayList<>();
            for (int l = 0; l < 2; l++) {
                float[] w = net.weightValues(l);
                for (int i = 0; i < w.length; i += 17) {
                    w[i] = -w[i];
                }
                measured.add(w);
            }
            for (Placement p : Placement.values()) {
                OsaConfig config = new OsaConfig(0.01, p, 8, 0, 32, 1e-3, 1, 1.0, 2.0);
                OsaResult r = OsaRound.run(net, measured, data.train(), null, data.test(), config, e -> { });
                assertEquals(Math.round(0.01 * net.weightCount()), r.sramWeights(), p.name());
            }
        }
    }

    @Test
    void offsetsTrainedWithoutSramWinBackAccuracyAndAReplacementKeepsThem() throws Exception {
        DataSplit data = Fixtures.data(dir, 600);
        try (Network net = Fixtures.trainedMlp(data, 8)) {
            // damage an offset can undo: every weight of class 0 in the last layer read high, so that class 0
            // gains about the same logit on every input (the hidden layer's outputs are ReLUs, all >= 0)
            List<float[]> measured = new ArrayList<>();
            int last = net.weightedLayers().size() - 1;
            int fanIn = net.weightedLayers().get(last).fanIn();
            for (int l = 0; l <= last; l++) {
                measured.add(net.weightValues(l));
            }
            float[] w = measured.get(last);
            float largest = 0;
            for (float v : w) {
                largest = Math.max(largest, Math.abs(v));
            }
            for (int i = 0; i < fanIn; i++) {
                w[i] += 0.3f * largest;
            }
            double software = Evaluator.accuracy(net, data.test(), WeightSource.MASTER);
            assertTrue(Hardware.accuracy(net, data.test(), measured, null, null) < software - 0.1,
                    "the damage should hurt");
            OsaConfig plain = new OsaConfig(0, Placement.MEASURED, 8, 6, 32, 3e-3, 1, 1.0, 2.0);
            OsaResult without = OsaRound.run(net, measured, data.train(), null, data.test(), plain, e -> { });
            OsaResult with = OsaRound.run(net, measured, data.train(), null, data.test(), plain.withOffsets(true),
                    e -> { });
            assertEquals(0, with.sramWeights());
            assertEquals(without.accuracyBefore(), without.accuracy(), 1e-12, "nothing to train without offsets");
            assertTrue(with.accuracy() > without.accuracy() + 0.02,
                    "offsets should win back accuracy: " + without.accuracy() + " -> " + with.accuracy());
            assertTrue(with.branch().hasOffsets());
            // what the branch holds gives what the round reported, and without its offsets it does not
            assertEquals(with.accuracy(), Hardware.accuracy(net, data.test(), measured, with.branch(), null), 1e-9);
            assertEquals(without.accuracy(),
                    Hardware.accuracy(net, data.test(), measured, new SramBranch(8, List.of()), null), 1e-9);

            // a re-placement (new positions, no training) starts from the offsets it keeps
            OsaConfig none = new OsaConfig(0.05, Placement.MEASURED, 8, 0, 32, 3e-3, 2, 1.0, 2.0).withOffsets(true);
            OsaResult moved = OsaRound.run(net, measured, data.train(), null, data.test(), none, null, null,
                    with.branch(), e -> { });
            for (int l = 0; l < net.weightedLayers().size(); l++) {
                assertArrayEquals(with.branch().offset(l), moved.branch().offset(l), 1e-6f);
            }
        }
    }
}
