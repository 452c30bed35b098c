package org.rramlab.statistics;

import java.util.List;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;
import org.rramlab.device.noise.DeviceNoise;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.RecordView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statistics of one array: what each cell was programmed to, the summaries its reads feed,
 * change detection, and the last sequence applied of each record kind (the de-duplication).
 */
final class ArrayStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(ArrayStatistics.class);

    final String arrayId;
    final CellGrid grid = new CellGrid();
    final LevelHistogram histogram;
    /** The same, from reads in the first log-time bin only: the distribution as programmed, before drift widens it. */
    final LevelHistogram fresh;
    final NoiseHistogram noise = new NoiseHistogram();
    final DriftBins drift;
    final ChangeDetector detector;

    long lastReadSequence;
    long lastProgrammedSequence;
    long framesApplied;
    long programmedApplied;
    long duplicatesSkipped;
    long framesSuspect;
    long cellsRead;
    long cellsUnlabelled;
    long cellsUnusable;
    /** Bumped by every applied record that can change a fit: the key of the cached fits. */
    long version;

    private final StatisticsConfig config;
    private final int levels;
    /** The drift law: its log-age is the time axis of the drift bins. */
    private final DeviceNoise law;
    private final double lowStuck;
    private final double highStuck;

    ArrayStatistics(String arrayId, StatisticsConfig config) {
        this.arrayId = arrayId;
        this.config = config;
        this.levels = config.preset().levels();
        this.law = DeviceNoise.of(config.preset());
        this.lowStuck = Math.log(config.preset().gMinSiemens());
        this.highStuck = Math.log(config.preset().gMaxSiemens());
        this.histogram = new LevelHistogram(config.preset());
        this.fresh = new LevelHistogram(config.preset());
        this.drift = new DriftBins(levels);
        this.detector = new ChangeDetector(levels);
    }

    void applyProgrammed(ProgrammedRecord record) {
        lastProgrammedSequence = record.sequence();
        programmedApplied++;
        version++;
        Block b = record.block();
        if (!grid.cover(b)) {
            LOG.warn("array '{}': programmed block {} reaches past {} cells; its cells are not remembered and "
                    + "their reads will count as unlabelled", arrayId, b, CellGrid.MAX_CELLS);
        }
        byte[] levelsOfBlock = record.levels();
        double time = record.arrayTimeSeconds();
        int rowEnd = Math.min(b.row0() + b.rows(), grid.rows);
        int colEnd = Math.min(b.col0() + b.cols(), grid.cols);
        for (int row = b.row0(); row < rowEnd; row++) {
            int j = (row - b.row0()) * b.cols();
            for (int col = b.col0(); col < colEnd; col++, j++) {
                int i = row * grid.cols + col;
                int level = levelsOfBlock[j];
                boolean known = level >= 0 && level < levels;
                grid.level[i] = known ? (byte) level : (byte) -1;
                grid.programmedAt[i] = time;
                grid.lastLog[i] = CellGrid.UNSET;
                grid.lastLogTime[i] = CellGrid.UNSET;
                grid.reference[i] = CellGrid.UNSET;
                if (known) {
                    detector.rearm(level);
                }
            }
        }
        detector.resetCusum();
    }

    /** A read frame of float conductances: their logarithms, then {@link #applyRead(long, double, Block, boolean, double[], double, List)}. */
    void applyRead(Frame frame, double[] scratch, List<StatisticsEvent> events) {
        float[] g = frame.conductances();
        for (int j = 0; j < g.length && !frame.suspect(); j++) {
            scratch[j] = Math.log(g[j]);
        }
        applyRead(frame.sequence(), frame.arrayTimeSeconds(), frame.block(), frame.suspect(), scratch, null, 0, events);
    }

    /** A read frame in place: ln G a row at a time into {@code row} (at least a row long), then applied. */
    void applyRead(RecordView record, double[] row, List<StatisticsEvent> events) {
        applyRead(record.sequence(), record.arrayTimeSeconds(), record.block(), record.suspect(), row, record,
                record.coded() ? record.step() : 0, events);
    }

    /**
     * The hot path: a few array accesses and no allocation per cell, over ln G of each cell
     * (NaN or an infinity where a value was not a finite positive conductance).
     *
     * @param lnG    ln G of every cell of the block (row-major) when {@code record} is null; else
     *               a row's worth, filled from {@code record} one row at a time
     * @param quantum the step of the grid ln G was coded on (0: not coded); the read-noise pairs
     *                spread each difference over its step so that their histogram, finer than the
     *                step, shows no comb of the grid
     */
    private void applyRead(long sequence, double time, Block b, boolean suspect, double[] lnG, RecordView record,
                           double quantum, List<StatisticsEvent> events) {
        lastReadSequence = sequence;
        framesApplied++;
        if (suspect) {
            framesSuspect++;
            return;
        }
        version++;
        final CellGrid cells = grid;
        final byte[] levelOf = cells.level;
        final double[] programmedAt = cells.programmedAt;
        final float[] lastLog = cells.lastLog;
        final float[] lastLogTime = cells.lastLogTime;
        final float[] reference = cells.reference;
        final int bins = histogram.bins;
        final double low = histogram.low;
        final double perBin = 1 / LevelHistogram.BIN_NEPERS;
        final long[] noiseCounts = noise.counts;
        final double pairGap = config.noisePairMaxLogTime();
        final double band = config.stuckBand();
        final long[] driftN = drift.n;
        final double[] driftL = drift.sumL;
        final double[] driftDev = drift.sumDev;
        final double[] driftDevSquares = drift.sumDevSquares;
        final int[] frameCounts = detector.frameCounts;
        final int[] frameN = detector.frameN;
        double frameSum = 0;
        long frameTotal = 0;
        long read = 0;
        long unlabelled = 0;
        long unusable = 0;

        double cachedProgrammedAt = Double.NaN;
        double logTime = 0;
        int logTimeBin = 0;
        for (int r = 0; r < b.rows(); r++) {
            int row = b.row0() + r;
            int inside = row < cells.rows ? Math.max(0, Math.min(b.cols(), cells.cols - b.col0())) : 0;
            unlabelled += b.cols() - inside;
            int j = r * b.cols();
            int i = row * cells.cols + b.col0();
            // x of cell j is lnG[j - k]: the whole block's values, or this row's decoded just now
            int k = 0;
            if (record != null) {
                record.lnConductances(j, inside, lnG, 0);
                k = j;
            }
            for (int c = 0; c < inside; c++, i++, j++) {
                int level = levelOf[i];
                if (level < 0) {
                    unlabelled++;
                    continue;
                }
                double x = lnG[j - k];
                if (!(x > Double.NEGATIVE_INFINITY && x < Double.POSITIVE_INFINITY)) {
                    unusable++;
                    continue;
                }
                read++;
                int bin = level * bins + binOf(x, low, perBin, bins);
                histogram.add(level, bin, x);

                double tp = programmedAt[i];
                if (tp != cachedProgrammedAt) {
                    // neighbours were usually programmed together: one logarithm per run, not per cell
                    cachedProgrammedAt = tp;
                    double age = time - tp;
                    logTime = law.driftLogAge(age);
                    logTimeBin = DriftBins.bin(logTime);
                }
                if (logTimeBin == 0) {
                    fresh.add(level, bin, x);
                }
                float previous = lastLog[i];
                if (previous == previous && Math.abs(logTime - lastLogTime[i]) <= pairGap) {
                    double d = Math.abs(x - previous);
                    if (quantum != 0) {
                        // a fixed, evenly spread offset within the step (golden-ratio sequence over the cells)
                        d = Math.abs(d + quantum * (((j * 0x9E3779B9L) & 0xffffL) * (1.0 / 0x10000) - 0.5));
                    }
                    noiseCounts[NoiseHistogram.bin(d)]++;
                }
                lastLog[i] = (float) x;
                lastLogTime[i] = (float) logTime;

                float ref = reference[i];
                if (ref != ref) {
                    boolean stuckLike = Math.abs(x - lowStuck) < band || Math.abs(x - highStuck) < band;
                    reference[i] = stuckLike ? CellGrid.EXCLUDED : (float) x;
                    if (!stuckLike) {
                        drift.referenceCells[level]++;
                    }
                } else if (ref != CellGrid.EXCLUDED) {
                    double dev = x - ref;
                    int d = level * DriftBins.BINS + logTimeBin;
                    driftN[d]++;
                    driftL[d] += logTime;
                    driftDev[d] += dev;
                    driftDevSquares[d] += dev * dev;
                    frameCounts[level * ChangeDetector.BINS + ChangeDetector.bin(dev)]++;
                    frameN[level]++;
                    frameSum += dev;
                    frameTotal++;
                }
            }
        }
        cellsRead += read;
        cellsUnlabelled += unlabelled;
        cellsUnusable += unusable;
        detector.frameSum += frameSum;
        detector.frameTotal += frameTotal;
        detector.endFrame(arrayId, time, config, events);
    }

    private static int binOf(double x, double low, double perBin, int bins) {
        int bin = (int) ((x - low) * perBin);
        return bin < 0 ? 0 : bin >= bins ? bins - 1 : bin;
    }
}
