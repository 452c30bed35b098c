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
 * @param perRead   the spread drawn anew for every read (a batch of images), the stuck devices staying where they
 *                  are; false: drawn once, at programming, as the arrays do
 */
public record MappingVariant(String name, Law law, double sigma, double quantile, boolean stuck, boolean perRead,
                             String reading) {
    /**
     * Where the spread acts. The two device laws act on each conductance of the differential pair; the two weight
     * laws act on the 10-level weight itself, with no devices (no pair, no on/off ratio, no stuck devices):
     * {@link #WEIGHT_RELATIVE} w' = w (1 + sigma z); {@link #WEIGHT_ADDITIVE} w' = w + sigma w_max z.
     */
    public enum Law { LOGNORMAL, RELATIVE, WEIGHT_RELATIVE, WEIGHT_ADDITIVE }

    public MappingVariant(String name, Law law, double sigma, double quantile, boolean stuck, String reading) {
        this(name, law, sigma, quantile, stuck, false, reading);
    }

    /** The default: the preset's own law, what the simulated arrays do and the students are trained for. */
    public static final String DEFAULT = "lognormal-0.5/max|w|/stuck";

    /** Every reading: two laws x two scalings x stuck devices or not. */
    public static List<MappingVariant> presets() {
        List<MappingVariant> out = new ArrayList<>();
        for (Law law : new Law[] {Law.LOGNORMAL, Law.RELATIVE}) {
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
        out.addAll(otherReadings());
        return out;
    }

    /**
     * Readings beyond the eight: "50 % variance" as a variance (sigma of ln G = sqrt(0.5)), the spread drawn anew
     * at every read, and the spread put on the weights themselves (relative, or a share of the weight range).
     */
    static List<MappingVariant> otherReadings() {
        double s = Math.sqrt(0.5);
        String stuckText = "1.75 % stuck at Gmax, 9.04 % at Gmin";
        return List.of(
                new MappingVariant("lognormal-0.71/max|w|/stuck", Law.LOGNORMAL, s, 1.0, true, false,
                        "variance of ln G = 0.5 (sigma 0.71); top level at max|w|; " + stuckText),
                new MappingVariant("lognormal-0.71/max|w|/no-stuck", Law.LOGNORMAL, s, 1.0, false, false,
                        "variance of ln G = 0.5 (sigma 0.71); top level at max|w|; no stuck devices"),
                new MappingVariant("lognormal-0.5/max|w|/stuck/per-read", Law.LOGNORMAL, 0.5, 1.0, true, true,
                        "G = target x exp(0.5 z) drawn anew for every read of 500 images, stuck devices fixed; "
                                + stuckText),
                new MappingVariant("weight-relative-50%/max|w|", Law.WEIGHT_RELATIVE, 0.5, 1.0, false, false,
                        "w' = w x (1 + 0.5 z) on the 10-level weight (max|w| scaling); no devices"),
                new MappingVariant("weight-additive-50%-range/max|w|", Law.WEIGHT_ADDITIVE, 0.5, 1.0, false, false,
                        "w' = w + 0.5 max|w| z: sigma half the weight range's half-width; no devices"),
                new MappingVariant("weight-additive-half-level/max|w|", Law.WEIGHT_ADDITIVE, 0.5 / 9, 1.0, false,
                        false, "w' = w + 0.5 step z: sigma half a level (max|w| / 9); no devices"));
    }

    /** One draw of the mapped weights of one layer. */
    public float[] sample(float[] w, DevicePreset preset, SplittableRandom random) {
        return sample(w, preset, random, random);
    }

    /**
     * One draw of the mapped weights of one layer, which devices are stuck drawn from {@code fabrication} and the
     * spread from {@code spread} (the same generator for a draw at programming; two for a spread drawn per read).
     */
    public float[] sample(float[] w, DevicePreset preset, SplittableRandom fabrication, SplittableRandom spread) {
        float wMax = MappingConfig.wMax(w, quantile);
        int top = preset.levels() - 1;
        if (law == Law.WEIGHT_RELATIVE || law == Law.WEIGHT_ADDITIVE) {
            float[] out = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                double v = Math.min(top, Math.round(Math.abs(w[i]) / wMax * top)) * (double) wMax / top;
                v = law == Law.WEIGHT_RELATIVE ? v * (1 + sigma * spread.nextGaussian())
                        : v + sigma * wMax * spread.nextGaussian();
                out[i] = (float) (w[i] < 0 ? -v : v);
            }
            return out;
        }
        double gMin = 1.0 / preset.onOffRatio();
        double step = (1 - gMin) / top;
        double scale = wMax / (1 - gMin);
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            long level = Math.min(top, Math.round(Math.abs(w[i]) / wMax * top));
            double v = (device(gMin + level * step, gMin, preset, fabrication, spread)
                    - device(gMin, gMin, preset, fabrication, spread)) * scale;
            out[i] = (float) (w[i] < 0 ? -v : v);
        }
        return out;
    }

    private double device(double target, double gMin, DevicePreset p, SplittableRandom fabrication,
                          SplittableRandom random) {
        double g;
        double u = fabrication.nextDouble();
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
        m.put("spread_per_read", perRead);
        m.put("reading", reading);
        return m;
    }
}
