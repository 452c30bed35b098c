package org.rramlab.app.bench;

import org.rramlab.statistics.StatisticsReport;
import org.rramlab.statistics.LiveStatistics;
import org.rramlab.statistics.SimulatedFeed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ReadRecord;

/**
 * Measures the statistics engine on one thread:
 * <ol>
 * <li>convergence: simulated arrays (preset dac2020-65nm) programmed with every level, read twice
 * per programming, reprogrammed each round (fresh variation draws) until the target number of
 * cell reads; prints the fitted sigma and stuck fractions against the simulator's truth;</li>
 * <li>throughput: frames read beforehand, applied again and again under new sequence numbers
 * (apply alone, and decode + apply), in cell reads per second;</li>
 * <li>report, snapshot and restore times.</li>
 * </ol>
 * Usage: {@code StatisticsBench [--arrays 4] [--rows 256] [--cols 256] [--reads 10000000] [--seconds 10]}
 */
public final class StatisticsBench {
    private StatisticsBench() {}

    public static void main(String[] args) {
        int arrays = 4, rows = 256, cols = 256;
        long targetReads = 10_000_000L;
        double seconds = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--arrays" -> arrays = Integer.parseInt(args[i + 1]);
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--cols" -> cols = Integer.parseInt(args[i + 1]);
                case "--reads" -> targetReads = Long.parseLong(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --arrays N --rows N --cols N --reads N --seconds S");
            }
        }
        DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
        List<SimulatedFeed> feeds = new ArrayList<>();
        for (int a = 0; a < arrays; a++) {
            feeds.add(new SimulatedFeed("bench-" + a, preset, rows, cols, 1000 + a));
        }
        LiveStatistics stats = LiveStatistics.of(preset);
        long start = System.nanoTime();
        int round = 0;
        while (stats.report().cellsRead() < targetReads) {
            for (SimulatedFeed f : feeds) {
                stats.apply(f.program(round));
                stats.apply(f.read());
                stats.apply(f.read());
            }
            round++;
        }
        double feedSeconds = (System.nanoTime() - start) / 1e9;
        double high = 0, low = 0;
        for (SimulatedFeed f : feeds) {
            double[] s = f.stuckFractions();
            high += s[0] / arrays;
            low += s[1] / arrays;
        }
        stats.apply(feeds.get(0).read());
        long t = System.nanoTime();
        StatisticsReport r = stats.report();
        double reportMs = (System.nanoTime() - t) / 1e6;
        print("convergence", String.format(Locale.ROOT,
                "\"cell_reads\": %d, \"rounds\": %d, \"log_sigma\": %.5f, \"log_sigma_error_relative\": %.5f, "
                        + "\"stuck_high\": %.5f, \"stuck_high_truth\": %.5f, \"stuck_high_error_points\": %.4f, "
                        + "\"stuck_low\": %.5f, \"stuck_low_truth\": %.5f, \"stuck_low_error_points\": %.4f, "
                        + "\"read_noise\": %.5f, \"report_ms\": %.1f, \"feed_seconds\": %.1f",
                r.cellsRead(), round, r.logSigma(), r.logSigma() / preset.variationSigma() - 1,
                r.stuckHighFraction(), high, 100 * (r.stuckHighFraction() - high),
                r.stuckLowFraction(), low, 100 * (r.stuckLowFraction() - low),
                r.readNoiseRelative(), reportMs, feedSeconds));

        // throughput: frames prepared beforehand, replayed under new sequence numbers
        List<Frame> frames = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        for (SimulatedFeed f : feeds) {
            for (int k = 0; k < 4; k++) {
                ConductanceRecord rec = f.read();
                frames.add(((ReadRecord) rec).frame());
                encoded.add(ConductanceCodec.encode(rec));
            }
        }
        long[] sequence = new long[arrays];
        java.util.Arrays.fill(sequence, 1L << 40);
        double applyRate = rate(stats, frames, null, sequence, seconds);
        double decodeRate = rate(stats, frames, encoded, sequence, seconds);
        print("throughput", String.format(Locale.ROOT,
                "\"apply_cell_reads_per_second\": %.0f, \"decode_apply_cell_reads_per_second\": %.0f, \"frame_cells\": %d",
                applyRate, decodeRate, rows * cols));

        t = System.nanoTime();
        stats.report();
        reportMs = (System.nanoTime() - t) / 1e6;
        t = System.nanoTime();
        byte[] snapshot = stats.snapshot(Map.of(ConductanceRecord.TOPIC + "-0", 123L));
        double snapshotMs = (System.nanoTime() - t) / 1e6;
        t = System.nanoTime();
        LiveStatistics.restore(snapshot);
        double restoreMs = (System.nanoTime() - t) / 1e6;
        print("state", String.format(Locale.ROOT,
                "\"report_ms\": %.1f, \"snapshot_bytes\": %d, \"snapshot_ms\": %.1f, \"restore_ms\": %.1f",
                reportMs, snapshot.length, snapshotMs, restoreMs));
    }

    private static double rate(LiveStatistics stats, List<Frame> frames, List<byte[]> encoded, long[] sequence,
                               double seconds) {
        // warm-up, then the measured run
        run(stats, frames, encoded, sequence, Math.min(2, seconds / 5));
        return run(stats, frames, encoded, sequence, seconds);
    }

    private static double run(LiveStatistics stats, List<Frame> frames, List<byte[]> encoded, long[] sequence,
                              double seconds) {
        long cells = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int arrays = sequence.length;
        while (System.nanoTime() < end) {
            for (int i = 0; i < frames.size(); i++) {
                Frame f = encoded == null ? frames.get(i) : ((ReadRecord) ConductanceCodec.decode(encoded.get(i))).frame();
                int a = i * arrays / frames.size();
                Frame renumbered = new Frame(f.arrayId(), ++sequence[a], f.arrayTimeSeconds(), f.block(),
                        f.conductances(), false);
                stats.apply(new ReadRecord(renumbered));
                cells += f.conductances().length;
            }
        }
        return cells / ((System.nanoTime() - start) / 1e9);
    }

    private static void print(String what, String fields) {
        System.out.println("{\"" + what + "\": {" + fields + "}}");
    }
}
