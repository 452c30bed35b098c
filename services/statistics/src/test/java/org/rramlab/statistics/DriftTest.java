package org.rramlab.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.sim.ArrayModel;
import org.rramlab.device.sim.Fault;

/**
 * Drift over six decades of accelerated time: the fitted nu per level against the simulator's,
 * and change detection against the true median move of each level.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriftTest {
    private static final double STEP = 0.05;
    private static final double MAX_LOG_TIME = 12;

    private final DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
    private final LiveStatistics stats = LiveStatistics.of(preset);
    private final List<StatisticsEvent> events = new ArrayList<>();
    private SimulatedFeed feed;
    private double t0;

    @BeforeAll
    void feedDecadesOfDrift() {
        feed = new SimulatedFeed("drift", preset, 128, 128, 21);
        t0 = preset.drift().t0Seconds();
        stats.apply(feed.program(0));
        // reads at log-time L = 0, 0.05, ..., 12: t from 0 to t0 (e^12 - 1), about 3e6 s
        double now = 0;
        for (double logTime = 0; logTime <= MAX_LOG_TIME + 1e-9; logTime += STEP) {
            double t = t0 * Math.expm1(logTime);
            feed.advance(t - now);
            now = t;
            stats.apply(feed.read());
            events.addAll(stats.drainEvents());
        }
    }

    /** Per level: mean and median of nu over the working cells, from the simulator's truth. */
    private double[][] trueNu() {
        ArrayModel m = feed.model();
        int levels = preset.levels();
        List<List<Float>> nus = new ArrayList<>();
        for (int k = 0; k < levels; k++) nus.add(new ArrayList<>());
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                if (m.fault(r, c) == Fault.NONE) {
                    nus.get((r * m.cols() + c) % levels).add(m.driftExponent(r, c));
                }
            }
        }
        double[][] out = new double[levels][2];
        for (int k = 0; k < levels; k++) {
            float[] v = new float[nus.get(k).size()];
            for (int i = 0; i < v.length; i++) v[i] = nus.get(k).get(i);
            Arrays.sort(v);
            double sum = 0;
            for (float x : v) sum += x;
            out[k][0] = sum / v.length;
            out[k][1] = v[v.length / 2];
        }
        return out;
    }

    /** Mean of max(0, N(mu, sigma)): the simulator clips nu at 0, which raises the mean of the low levels. */
    private static double clippedMean(double mu, double sigma) {
        double z = mu / sigma;
        double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        double cdf = new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(z);
        return mu * cdf + sigma * pdf;
    }

    @Test
    void fittedNuMatchesTheSimulatorWithinItsError() {
        double[][] truth = trueNu();
        StatisticsReport r = stats.report();
        for (LevelDrift d : r.drift()) {
            double population = clippedMean(org.rramlab.device.noise.DeviceNoise.of(preset).nuMean(d.level() / (preset.levels() - 1.0)), preset.drift().nuSigma());
            assertTrue(d.nuStdError() > 0 && d.nuStdError() < 0.002, "error of level " + d.level() + ": " + d);
            assertEquals(truth[d.level()][0], d.nu(), 3 * d.nuStdError(), "nu of level " + d.level() + " vs the cells'");
            assertEquals(population, d.nu(), 4 * d.nuStdError(), "nu of level " + d.level() + " vs the preset's");
            assertEquals(preset.drift().nuSigma(), d.nuSpread(), 0.006, "spread of level " + d.level());
        }
    }

    @Test
    void driftAlarmFiresOncePerLevelWhenTheMedianPassesTheThreshold() {
        double[][] truth = trueNu();
        Map<Integer, DriftDetected> alarms = new HashMap<>();
        for (StatisticsEvent e : events) {
            if (e instanceof DriftDetected d) {
                assertTrue(alarms.put(d.level(), d) == null, "second alarm for level " + d.level());
            }
        }
        assertEquals(preset.levels(), alarms.size(), "every level drifts past 5 % by L = 12: " + alarms);
        for (DriftDetected d : alarms.values()) {
            double logTime = Math.log1p(d.arrayTimeSeconds() / t0);
            double trueChange = Math.expm1(-truth[d.level()][1] * logTime);
            assertTrue(trueChange < -0.045, "not before the true median moved 4.5 %: " + d + " true " + trueChange);
            double before = Math.expm1(-truth[d.level()][1] * (logTime - STEP));
            assertTrue(before > -0.055, "no later than one frame after it moved 5.5 %: " + d + " true " + before);
            assertTrue(d.relativeChange() < -0.05);
        }
    }

    @Test
    void cusumTripsOnceAfterTheThreshold() {
        List<CusumAlarm> alarms = new ArrayList<>();
        double firstDrift = Double.POSITIVE_INFINITY;
        for (StatisticsEvent e : events) {
            if (e instanceof CusumAlarm c) alarms.add(c);
            if (e instanceof DriftDetected d) firstDrift = Math.min(firstDrift, d.arrayTimeSeconds());
        }
        assertEquals(1, alarms.size(), alarms.toString());
        assertTrue(alarms.get(0).arrayTimeSeconds() > firstDrift);
        assertTrue(alarms.get(0).meanLogDeviation() < -Math.log1p(0.05));
    }

    @Test
    void fittedPresetCarriesTheDriftLawAndLoadsBack() {
        DevicePreset fitted = stats.fittedPreset(preset, "drift-fit");
        assertEquals("drift-fit", fitted.name());
        assertEquals(clippedMean(org.rramlab.device.noise.DeviceNoise.of(preset).nuMean(0), preset.drift().nuSigma()), fitted.drift().nuMeanAtGmin(), 0.003);
        assertEquals(preset.drift().nuMeanAtGmax(), fitted.drift().nuMeanAtGmax(), 0.003);
        assertEquals(preset.drift().nuSigma(), fitted.drift().nuSigma(), 0.006);
        assertEquals(preset.stuckAtLowFraction(), fitted.stuckAtLowFraction(), 0.01);
        // drift widens the later reads (their pooled sigma is larger); the preset takes the reads soon after programming
        assertTrue(stats.report().logSigma() > 0.52, "drift widened the pooled reads: " + stats.report().logSigma());
        assertEquals(preset.variationSigma(), fitted.variationSigma(), 0.025);
        DevicePreset reloaded = DevicePreset.fromConfig(com.typesafe.config.ConfigFactory.parseString(fitted.toHocon()));
        assertEquals(fitted, reloaded);
    }
}
