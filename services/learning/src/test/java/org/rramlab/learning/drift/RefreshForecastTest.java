package org.rramlab.learning.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.OneLayerMapping;
import org.rramlab.learning.mapping.WeightMapping;

/** A refreshed device, programmed for the drift it is about to have, agrees with its column's gain afterwards. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RefreshForecastTest {
    static final double DAY = 86_400;
    static final int IN = OneLayerMapping.IN;
    static final int OUT = OneLayerMapping.OUT;

    @Test
    void withoutAHorizonTheDeviceGoesWhereTheGainExpectsItNow() {
        DevicePreset preset = DevicePreset.load("dac2020-65nm");
        assertEquals(3e-5, RefreshForecast.none().conductance(1e-5, 2e-5, 1.3), 1e-12);
        assertEquals(3e-5, RefreshForecast.of(preset, 30 * DAY, 3 * DAY, 0).conductance(1e-5, 2e-5, 1.3), 1e-12);
        double ahead = RefreshForecast.of(preset, 30 * DAY, 3 * DAY, 30 * DAY).conductance(1e-5, 2e-5, 1.3);
        assertTrue(ahead > 3e-5, "a fresh device is programmed above its goal, for the decay to come: " + ahead);
    }

    @Test
    void aForecastRefreshAgreesWithTheGainOverTheNextMonth() {
        // little variation and no stuck devices: what is left is drift, the law the forecast knows
        DevicePreset preset = DevicePreset.load("dac2020-65nm").withFit("low-variation", "test", 0.05, 0, 0);
        double plain = errorAfterRefresh(preset, RefreshForecast.none());
        double forecast = errorAfterRefresh(preset, RefreshForecast.of(preset, 30 * DAY, 3 * DAY, 30 * DAY));
        assertTrue(forecast < 0.7 * plain, "the refreshed weights stay nearer their targets with the forecast: "
                + plain + " -> " + forecast);
    }

    /** Mean |compensated - target| of 40 refreshed weights over ten checks, 3 to 30 days after the refresh. */
    static double errorAfterRefresh(DevicePreset preset, RefreshForecast forecast) {
        WeightMapping mapping = OneLayerMapping.of(preset);
        Map<String, RramArray> arrays = new LinkedHashMap<>();
        arrays.put("a", new SimulatedArray("a", preset, 128, 128, 3));
        try {
            Mapper.program(mapping, arrays).toCompletableFuture().join();
            arrays.get("a").advanceClock(30 * DAY).toCompletableFuture().join();
            MeasuredConductances read = Mapper.read(mapping, arrays).toCompletableFuture().join();
            List<float[]> measured = read.effectiveWeights(mapping);
            ColumnGains gains = ColumnGains.estimate(mapping, measured, true, 8, 6);
            float[] ones = new float[IN * OUT];
            java.util.Arrays.fill(ones, 1f);
            List<SelectiveRefresh.Device> chosen = SelectiveRefresh.choose(mapping, gains.apply(mapping, measured),
                    List.of(ones), 40);
            SelectiveRefresh.Result r = SelectiveRefresh.apply(mapping, arrays, read, gains, chosen, forecast)
                    .toCompletableFuture().join();
            assertFalse(r.devices().isEmpty());
            assertEquals(List.of(), r.unverified(), "no device is stuck in this preset");
            List<boolean[]> skip = new ArrayList<>();
            boolean[] refreshed = new boolean[IN * OUT];
            chosen.forEach(d -> refreshed[d.weight()] = true);
            skip.add(refreshed);
            float[] t = mapping.targetWeights().get(0);
            double sum = 0;
            int n = 0;
            for (int check = 1; check <= 10; check++) {
                arrays.get("a").advanceClock(3 * DAY).toCompletableFuture().join();
                List<float[]> now = Mapper.read(mapping, arrays).toCompletableFuture().join().effectiveWeights(mapping);
                List<float[]> compensated = ColumnGains.estimate(mapping, now, true, 8, 6, skip).apply(mapping, now);
                for (SelectiveRefresh.Device d : chosen) {
                    sum += Math.abs(compensated.get(0)[d.weight()] - t[d.weight()]);
                    n++;
                }
            }
            return sum / n;
        } finally {
            arrays.values().forEach(RramArray::close);
        }
    }

    @Test
    void aStuckDeviceIsReportedAsUnverified() {
        DevicePreset preset = DevicePreset.load("dac2020-65nm").withFit("stuck", "test", 0.05, 0, 0.5);
        WeightMapping mapping = OneLayerMapping.of(preset);
        Map<String, RramArray> arrays = new LinkedHashMap<>();
        arrays.put("a", new SimulatedArray("a", preset, 128, 128, 3));
        try {
            Mapper.program(mapping, arrays).toCompletableFuture().join();
            MeasuredConductances read = Mapper.read(mapping, arrays).toCompletableFuture().join();
            List<float[]> measured = read.effectiveWeights(mapping);
            ColumnGains gains = ColumnGains.identity(mapping, true, 8, 6);
            float[] ones = new float[IN * OUT];
            java.util.Arrays.fill(ones, 1f);
            List<SelectiveRefresh.Device> chosen = SelectiveRefresh.choose(mapping, measured, List.of(ones), 30);
            SelectiveRefresh.Result r = SelectiveRefresh.apply(mapping, arrays, read, gains, chosen)
                    .toCompletableFuture().join();
            assertFalse(r.unverified().isEmpty(), "half the devices are stuck at Gmin: the worst errors include some");
            assertTrue(chosen.containsAll(r.unverified()));
        } finally {
            arrays.values().forEach(RramArray::close);
        }
    }
}
