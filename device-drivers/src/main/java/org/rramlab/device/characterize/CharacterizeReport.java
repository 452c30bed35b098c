package org.rramlab.device.characterize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The outcome of characterizing an array: the estimated statistics and what programming cost.
 * {@code seconds} is programming time on the array's clock (pulses x pulse width), so it is the
 * same for a simulated array and the instruments; {@code wallSeconds} is how long the run took.
 */
public record CharacterizeReport(String preset, int rows, int cols, Characterization statistics, long pulses,
                                 double seconds, double wallSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON form: preset, rows, cols, levels[], stuck fractions, pulses, seconds. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("preset", preset);
        root.put("rows", rows);
        root.put("cols", cols);
        ArrayNode levels = root.putArray("levels");
        for (LevelStatistics s : statistics.levels()) {
            ObjectNode l = levels.addObject();
            l.put("level", s.level());
            number(l, "target_siemens", s.targetSiemens());
            number(l, "mean_siemens", s.meanSiemens());
            number(l, "median_siemens", s.medianSiemens());
            number(l, "log_sigma", s.logSigma());
        }
        number(root, "stuck_high_fraction", statistics.stuckHighFraction());
        number(root, "stuck_low_fraction", statistics.stuckLowFraction());
        root.put("pulses", pulses);
        number(root, "seconds", seconds);
        return root;
    }

    /** JSON has no NaN: a statistic that could not be estimated is null. */
    private static void number(ObjectNode node, String name, double v) {
        if (Double.isFinite(v)) {
            node.put(name, v);
        } else {
            node.putNull(name);
        }
    }

    public String toJsonString() {
        return toJson().toString();
    }

    public String toTable() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "preset %s, array %dx%d%n%n", preset, rows, cols));
        b.append(String.format(Locale.ROOT, "%5s  %12s  %12s  %12s  %9s  %7s%n", "level", "target uS", "median uS",
                "mean uS", "log sigma", "cells"));
        for (LevelStatistics s : statistics.levels()) {
            b.append(String.format(Locale.ROOT, "%5d  %12.4f  %12.4f  %12.4f  %9.4f  %7d%n", s.level(),
                    s.targetSiemens() * 1e6, s.medianSiemens() * 1e6, s.meanSiemens() * 1e6, s.logSigma(), s.cells()));
        }
        b.append(String.format(Locale.ROOT, "%nstuck at Gmax  %.4f %%%nstuck at Gmin  %.4f %%%n",
                statistics.stuckHighFraction() * 100, statistics.stuckLowFraction() * 100));
        b.append(String.format(Locale.ROOT, "pulses        %d%nprogramming   %.6f s on the array's clock%n", pulses, seconds));
        if (statistics.cellsUnusable() > 0) {
            b.append(String.format(Locale.ROOT, "unusable reads %d (lost or non-positive)%n", statistics.cellsUnusable()));
        }
        b.append(String.format(Locale.ROOT, "wall time     %.2f s%n", wallSeconds));
        return b.toString();
    }
}
