package org.rramlab.device.characterize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.RramArray;
import org.rramlab.device.noise.DeviceNoise;

/**
 * The drift law of one die, from repeated reads of a freshly programmed array: the device-noise
 * model's power law G(t) = G_prog ((t + t0) / t0)^-nu (t0 the preset's), fitted per cell as the
 * slope of ln G against ln((t + t0) / t0) over the reads, then per level the median of the cells'
 * nu (robust to stuck cells, which do not drift) and a robust spread (IQR / 1.349), and across
 * levels the preset's linear form nu(x) = nu_Gmin + x (nu_Gmax - nu_Gmin), x = level / (L - 1).
 *
 * <p>Each cell's age at a read is its own: the cells are programmed and read row by row at a
 * steady pace, so cell i (of n, in row-major order) was programmed at p0 + i/n (p1 - p0) and read at
 * r0 + i/n (r1 - r0). Ages are wall seconds times {@code timeScale}, the device time per wall
 * second (1 on a station; an emulator's {@code --time-scale}).
 *
 * @param agesSeconds   the mean cell age of each read
 * @param nuPerLevel    median fitted exponent of each level's cells
 * @param nuSpread      per level, the robust spread of the cells' exponents
 */
public record DieDrift(String law, double t0Seconds, double[] agesSeconds, double[] nuPerLevel, double[] nuSpread,
                       double nuAtGmin, double nuAtGmax) {

    /** Waits, reads; a clock and a sleep that tests can replace. */
    public interface Clock {
        long nanos();

        void sleepNanos(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                if (nanos > 0) {
                    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                }
            }
        };
    }

    /**
     * Reads the whole array at each of {@code waitSeconds} (wall seconds after the end of the
     * programming that ran from {@code programStart} to {@code programEnd}, nanoTime of
     * {@code clock}) and fits the law. {@code levels[i]} is the level cell i was programmed to.
     */
    public static DieDrift measure(RramArray array, DevicePreset preset, int[] levels, long programStart, long programEnd,
                                   double[] waitSeconds, double timeScale, Clock clock) throws InterruptedException {
        if (waitSeconds.length < 2) {
            throw new IllegalArgumentException("a drift law needs at least two reads, got " + waitSeconds.length);
        }
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("the device time per wall second must be > 0, got " + timeScale);
        }
        Block all = new Block(0, 0, array.rows(), array.cols());
        int n = all.cells();
        float[][] reads = new float[waitSeconds.length][];
        double[][] ages = new double[waitSeconds.length][n];
        for (int k = 0; k < waitSeconds.length; k++) {
            clock.sleepNanos(programEnd + Math.round(waitSeconds[k] * 1e9) - clock.nanos());
            long r0 = clock.nanos();
            Frame f = AsyncOps.await(array.read(all));
            long r1 = clock.nanos();
            reads[k] = f.conductances();
            for (int i = 0; i < n; i++) {
                double read = r0 + (double) i / n * (r1 - r0);
                double programmed = programStart + (double) i / n * (programEnd - programStart);
                ages[k][i] = Math.max(0, (read - programmed) / 1e9 * timeScale);
            }
        }
        return fit(preset, levels, reads, ages);
    }

    /** The law from reads (per read, per cell) at the cells' ages in device seconds. */
    public static DieDrift fit(DevicePreset preset, int[] levels, float[][] reads, double[][] ages) {
        DeviceNoise noise = DeviceNoise.of(preset);
        int cells = levels.length;
        int levelCount = preset.levels();
        double[][] perLevel = new double[levelCount][cells];
        int[] count = new int[levelCount];
        for (int i = 0; i < cells; i++) {
            double sx = 0;
            double sy = 0;
            int m = 0;
            for (int k = 0; k < reads.length; k++) {
                if (reads[k][i] > 0 && Float.isFinite(reads[k][i])) {
                    sx += noise.driftLogAge(ages[k][i]);
                    sy += Math.log(reads[k][i]);
                    m++;
                }
            }
            if (m < 2) {
                continue;
            }
            double mx = sx / m;
            double my = sy / m;
            double sxx = 0;
            double sxy = 0;
            for (int k = 0; k < reads.length; k++) {
                if (reads[k][i] > 0 && Float.isFinite(reads[k][i])) {
                    double dx = noise.driftLogAge(ages[k][i]) - mx;
                    sxx += dx * dx;
                    sxy += dx * (Math.log(reads[k][i]) - my);
                }
            }
            if (sxx > 0) {
                perLevel[levels[i]][count[levels[i]]++] = -sxy / sxx;
            }
        }
        double[] nu = new double[levelCount];
        double[] spread = new double[levelCount];
        for (int k = 0; k < levelCount; k++) {
            double[] v = Arrays.copyOf(perLevel[k], count[k]);
            Arrays.sort(v);
            nu[k] = quantile(v, 0.5);
            spread[k] = (quantile(v, 0.75) - quantile(v, 0.25)) / 1.349;
        }
        // nu(x) linear in the level's fraction x, least squares over the fitted levels
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int k = 0; k < levelCount; k++) {
            if (Double.isFinite(nu[k])) {
                double x = levelCount == 1 ? 0 : (double) k / (levelCount - 1);
                sw++;
                sx += x;
                sy += nu[k];
                sxx += x * x;
                sxy += x * nu[k];
            }
        }
        double det = sw * sxx - sx * sx;
        double slope = det > 0 ? (sw * sxy - sx * sy) / det : 0;
        double atGmin = sw > 0 ? (sy - slope * sx) / sw : Double.NaN;
        double[] meanAges = new double[ages.length];
        for (int k = 0; k < ages.length; k++) {
            meanAges[k] = Arrays.stream(ages[k]).average().orElse(Double.NaN);
        }
        return new DieDrift(DevicePreset.Drift.POWER_LAW, preset.drift().t0Seconds(), meanAges, nu, spread, atGmin, atGmin + slope);
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("law", law);
        o.put("t0_seconds", t0Seconds);
        put(o.putArray("ages_seconds"), agesSeconds);
        put(o.putArray("nu_per_level"), nuPerLevel);
        put(o.putArray("nu_spread_per_level"), nuSpread);
        num(o, "nu_at_gmin", nuAtGmin);
        num(o, "nu_at_gmax", nuAtGmax);
        return o;
    }

    private static void put(com.fasterxml.jackson.databind.node.ArrayNode a, double[] v) {
        for (double x : v) {
            if (Double.isFinite(x)) {
                a.add(x);
            } else {
                a.addNull();
            }
        }
    }

    private static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** nu at Gmin and Gmax from a die's JSON ({@link #toJson}); NaN when absent. */
    public static double[] ends(JsonNode drift) {
        return new double[] {drift.path("nu_at_gmin").asDouble(Double.NaN), drift.path("nu_at_gmax").asDouble(Double.NaN)};
    }
}
