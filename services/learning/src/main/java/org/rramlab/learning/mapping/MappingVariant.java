package org.rramlab.learning.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rramlab.device.DevicePreset;

/**
 * One reading of the paper's "10 levels and 50 % variance": how the spread acts on a device (log-normal with
 * sigma 0.5 on the conductance, or a relative normal spread of 50 %), which |w| maps to the top level
 * (max|w| or a quantile), and whether the preset's stuck devices are there. Each is a named preset that
 * {@link #sample} draws effective weights from, in software, with the preset's levels, on/off ratio and read
 * noise: the same differential pair and w = (G+ - G-) / (Gmax - Gmin) * w_max as the arrays.
 *
 * @param law       {@link Law#LOGNORMAL}: G = target * exp(sigma z), as the simulator; {@link Law#RELATIVE}:
 *                  G = target * (1 + sigma z), cut at 0 (a conductance is never negative)
 * @param sigma     the spread (0.5 for the paper's 50 %)
 * @param quantile  the w_max quantile of |w| per layer (1 = max|w|)
 * @param stuck     with the preset's stuck-at-Gmax and stuck-at-Gmin shares, or none
 */
public record MappingVariant(String name, Law law, double sigma, double quantile, boolean stuck, String reading) {
    public enum Law { LOGNORMAL, RELATIVE }

    /** The default: the preset's own law, what the simulated arrays do and the students are trained for. */
    public static final String DEFAULT = "lognormal-0.5/max|w|/stuck";

    /** Every reading: two laws x two scalings x stuck devices or not. */
    public static List<MappingVariant> presets() {
        List<MappingVariant> out = new ArrayList<>();
        for (Law law : Law.values()) {
            for (double q : new double[] {1.0, 0.98}) {
                for (boolean stuck : new boolean[] {true, false}) {
                    String name = (law == Law.LOGNORMAL ? "lognormal-0.5" : "relative-50%") + "/"
                            + (q == 1.0 ? "max|w|" : "q" + q) + "/" + (stuck ? "stuck" : "no-stuck");
                    String reading = (law == Law.LOGNORMAL ? "G = target x exp(0.5 z) (sigma of ln G is 0.5)"
                            : "G = target x (1 + 0.5 z), cut at 0 (standard deviation 50 % of the target)")
                            + "; top level at " + (q == 1.0 ? "max|w|" : "the " + q + " quantile of |w|") + " per layer; "
                            + (stuck ? "1.75 % stuck at Gmax, 9.04 % at Gmin" : "no stuck devices");
                    out.add(new MappingVariant(name, law, 0.5, q, stuck, reading));
                }
            }
        }
        return out;
    }

    /** One draw of the mapped weights of one layer. */
    public float[] sample(float[] w, DevicePreset preset, SplittableRandom random) {
        float wMax = MappingConfig.wMax(w, quantile);
        int top = preset.levels() - 1;
        double gMin = 1.0 / preset.onOffRatio();
        double step = (1 - gMin) / top;
        double scale = wMax / (1 - gMin);
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            long level = Math.min(top, Math.round(Math.abs(w[i]) / wMax * top));
            double v = (device(gMin + level * step, gMin, preset, random) - device(gMin, gMin, preset, random)) * scale;
            out[i] = (float) (w[i] < 0 ? -v : v);
        }
        return out;
    }

    private double device(double target, double gMin, DevicePreset p, SplittableRandom random) {
        double g;
        double u = random.nextDouble();
        if (stuck && u < p.stuckAtHighFraction()) {
            g = 1.0;
        } else if (stuck && u < p.stuckAtHighFraction() + p.stuckAtLowFraction()) {
            g = gMin;
        } else {
            double z = random.nextGaussian();
            g = law == Law.LOGNORMAL ? target * Math.exp(sigma * z) : Math.max(0, target * (1 + sigma * z));
        }
        return g * (1 + p.readNoiseRelative() * random.nextGaussian());
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("law", law.name().toLowerCase(java.util.Locale.ROOT));
        m.put("sigma", sigma);
        m.put("w_max_quantile", quantile);
        m.put("stuck_devices", stuck);
        m.put("reading", reading);
        return m;
    }
}
