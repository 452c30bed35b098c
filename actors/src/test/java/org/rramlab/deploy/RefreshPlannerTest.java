package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.drift.ColumnGains;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.OneLayerMapping;
import org.rramlab.learning.mapping.WeightMapping;

/**
 * The planner leaves out the devices refreshes already wrote as often as allowed: write-verify
 * cannot move a stuck device, and its error would have it chosen at every check.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RefreshPlannerTest {
    static final int IN = OneLayerMapping.IN;
    static final int OUT = OneLayerMapping.OUT;

    @Test
    void devicesWrittenAsOftenAsAllowedAreNotChosenAgain() {
        DevicePreset preset = DevicePreset.load("dac2020-65nm");
        WeightMapping mapping = OneLayerMapping.of(preset);
        RramArray array = new SimulatedArray("a", preset, 128, 128, 3);
        try {
            Mapper.program(mapping, Map.of("a", array)).toCompletableFuture().join();
            array.advanceClock(30 * 86_400.0).toCompletableFuture().join();
            MeasuredConductances read = Mapper.read(mapping, Map.of("a", array)).toCompletableFuture().join();
            List<float[]> measured = read.effectiveWeights(mapping);
            ColumnGains gains = ColumnGains.estimate(mapping, measured, false, 8, 6);
            List<float[]> compensated = gains.apply(mapping, measured);
            float[] importance = new float[IN * OUT];
            Arrays.fill(importance, 1f);

            RefreshPlan first = RefreshPlanner.plan(mapping, read, gains, compensated, List.of(importance),
                    new RefreshBudget(20, 1000, 20));
            int[] written = first.arrays().get(0).cells();
            assertEquals(20, written.length);
            Map<Integer, Integer> once = new TreeMap<>();
            Arrays.stream(written).forEach(c -> once.put(c, 1));
            Endurance endurance = new Endurance(Map.of("a", once), 0, List.of());

            RefreshPlan unlimited = RefreshPlanner.plan(mapping, read, gains, compensated, List.of(importance),
                    new RefreshBudget(20, 1000, 20, endurance, 0));
            assertTrue(Arrays.equals(written, unlimited.arrays().get(0).cells()),
                    "without a limit the same reads choose the same devices again");
            RefreshPlan limited = RefreshPlanner.plan(mapping, read, gains, compensated, List.of(importance),
                    new RefreshBudget(20, 1000, 20, endurance, 1));
            int[] next = limited.arrays().get(0).cells();
            assertEquals(20, next.length, "as many devices as the budget allows, from further down the list");
            assertTrue(Arrays.stream(next).noneMatch(once::containsKey), "none written before: " + Arrays.toString(next));
            RefreshPlan twice = RefreshPlanner.plan(mapping, read, gains, compensated, List.of(importance),
                    new RefreshBudget(20, 1000, 20, endurance, 2));
            assertTrue(Arrays.equals(written, twice.arrays().get(0).cells()), "once is under a limit of two");
        } finally {
            array.close();
        }
    }
}
