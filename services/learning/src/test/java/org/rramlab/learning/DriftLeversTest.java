package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.drift.ColumnGains;
import org.rramlab.learning.drift.DriftAction;
import org.rramlab.learning.drift.DriftPolicy;
import org.rramlab.learning.drift.SelectiveRefresh;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.OneLayerMapping;
import org.rramlab.learning.mapping.WeightMapping;

/** Column gains, selective refresh and the policy on a simulated array that drifts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DriftLeversTest {
    static final int IN = OneLayerMapping.IN;
    static final int OUT = OneLayerMapping.OUT;

    static double error(WeightMapping m, List<float[]> w) {
        float[] t = m.targetWeights().get(0);
        double sum = 0;
        for (int i = 0; i < t.length; i++) {
            sum += Math.abs(w.get(0)[i] - t[i]);
        }
        return sum / t.length;
    }

    @Test
    void gainsUndoDriftAndRefreshProgramsWhatTheGainExpects() {
        DevicePreset preset = DevicePreset.load("dac2020-65nm").withFit("no-variation", "test", 0.02, 0, 0);
        WeightMapping mapping = OneLayerMapping.of(preset);
        Map<String, RramArray> arrays = new LinkedHashMap<>();
        arrays.put("a", new SimulatedArray("a", preset, 128, 128, 3));
        try {
            Mapper.program(mapping, arrays).toCompletableFuture().join();
            arrays.get("a").advanceClock(90 * 86_400.0).toCompletableFuture().join();
            MeasuredConductances read = Mapper.read(mapping, arrays).toCompletableFuture().join();
            List<float[]> measured = read.effectiveWeights(mapping);

            ColumnGains perColumn = ColumnGains.estimate(mapping, measured, true, 8, 6);
            ColumnGains perLayer = ColumnGains.estimate(mapping, measured, false, 8, 6);
            assertEquals(OUT, perColumn.registers());
            assertEquals(1, perLayer.registers());
            assertTrue(perColumn.largestCorrection() > 0.02, "90 days of drift call for gains: " + perColumn.gains());
            double raw = error(mapping, measured);
            double column = error(mapping, perColumn.apply(mapping, measured));
            double layer = error(mapping, perLayer.apply(mapping, measured));
            assertTrue(column < 0.6 * raw, "column gains remove most of the drift: " + raw + " -> " + column);
            assertTrue(layer < raw, "a layer gain removes some: " + raw + " -> " + layer);

            List<float[]> importance = List.of(filled(IN * OUT, 1f));
            List<float[]> compensated = perColumn.apply(mapping, measured);
            List<SelectiveRefresh.Device> chosen = SelectiveRefresh.choose(mapping, compensated, importance, 20);
            assertEquals(20, chosen.size());
            assertTrue(chosen.get(0).score() >= chosen.get(19).score(), "costliest first");
            SelectiveRefresh.Result r = SelectiveRefresh.apply(mapping, arrays, read, perColumn, chosen)
                    .toCompletableFuture().join();
            assertTrue(r.pulses() >= 20, "one pulse at least per device: " + r.pulses());
            List<float[]> after = perColumn.apply(mapping,
                    Mapper.read(mapping, arrays).toCompletableFuture().join().effectiveWeights(mapping));
            float[] t = mapping.targetWeights().get(0);
            for (SelectiveRefresh.Device d : chosen) {
                double before = Math.abs(compensated.get(0)[d.weight()] - t[d.weight()]);
                double now = Math.abs(after.get(0)[d.weight()] - t[d.weight()]);
                assertTrue(now < before, "device " + d + " is nearer its target: " + before + " -> " + now);
            }
        } finally {
            arrays.values().forEach(RramArray::close);
        }
    }

    @Test
    void refreshOnTheRealPresetBringsTheChosenWeightsNearer() {
        DevicePreset preset = DevicePreset.load("dac2020-65nm");
        WeightMapping mapping = OneLayerMapping.of(preset);
        Map<String, RramArray> arrays = new LinkedHashMap<>();
        arrays.put("a", new SimulatedArray("a", preset, 128, 128, 3));
        try {
            Mapper.program(mapping, arrays).toCompletableFuture().join();
            arrays.get("a").advanceClock(30 * 86_400.0).toCompletableFuture().join();
            MeasuredConductances read = Mapper.read(mapping, arrays).toCompletableFuture().join();
            List<float[]> measured = read.effectiveWeights(mapping);
            ColumnGains gains = ColumnGains.estimate(mapping, measured, true, 8, 6);
            List<float[]> compensated = gains.apply(mapping, measured);
            List<SelectiveRefresh.Device> chosen = SelectiveRefresh.choose(mapping, compensated,
                    List.of(filled(IN * OUT, 1f)), 25);
            SelectiveRefresh.apply(mapping, arrays, read, gains, chosen).toCompletableFuture().join();
            List<float[]> after = gains.apply(mapping,
                    Mapper.read(mapping, arrays).toCompletableFuture().join().effectiveWeights(mapping));
            float[] t = mapping.targetWeights().get(0);
            double before = 0;
            double now = 0;
            for (SelectiveRefresh.Device d : chosen) {
                before += Math.abs(compensated.get(0)[d.weight()] - t[d.weight()]);
                now += Math.abs(after.get(0)[d.weight()] - t[d.weight()]);
            }
            assertTrue(now < 0.5 * before, "the refreshed weights are nearer their targets: " + before + " -> " + now);
            assertTrue(error(mapping, after) < error(mapping, compensated), "and the layer as a whole");
        } finally {
            arrays.values().forEach(RramArray::close);
        }
    }

    @Test
    void thePolicyChoosesByGainAgainstCostAndSaysWhy() {
        DriftPolicy p = DriftPolicy.defaults();
        var holds = p.decide(new DriftPolicy.Observation(0.95, 0.95, 0.95, 0, 0, 1, 0.5));
        assertEquals(DriftAction.NOTHING, holds.action(), holds.reason());
        var gains = p.decide(new DriftPolicy.Observation(0.95, 0.94, 0.9495, 0, 0, 1, 0.5));
        assertEquals(DriftAction.RECOMPENSATE, gains.action(), gains.reason());
        var round = p.decide(new DriftPolicy.Observation(0.95, 0.93, 0.935, 0, 0, 0.9, 0.5));
        assertEquals(DriftAction.OSA_ROUND, round.action(), round.reason());
        var moved = p.decide(new DriftPolicy.Observation(0.95, 0.93, 0.935, 0, 0, 0.1, 0.5));
        assertEquals(DriftAction.REPLACE, moved.action(), moved.reason());
        var refresh = p.decide(new DriftPolicy.Observation(0.95, 0.93, 0.935, 0.9, 0.2, 0.9, 0.5));
        assertEquals(DriftAction.REFRESH, refresh.action(), refresh.reason());
        assertTrue(refresh.reason().contains("budget"), refresh.reason());
    }

    @Test
    void compensationCostsLittleArea() {
        AreaModel area = new AreaModel(AreaParameters.neurosim65nm());
        double cost = area.compensationCost(25_408, 42, 8, 2);
        assertTrue(cost > 0 && cost < 0.04, "42 gain registers and 2 multipliers on 25k weights: " + cost);
        assertEquals(0, area.compensationCost(25_408, 0, 8, 2));
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
