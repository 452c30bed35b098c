package org.rramlab.statistics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rramlab.device.DevicePreset;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.RecordView;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/**
 * The live variation model over the records of topic {@value ConductanceRecord#TOPIC}: per array
 * and overall, per-level lognormal statistics and stuck-at fractions (the shared EM over bounded
 * histograms), read noise, the drift law, and change detection.
 *
 * <p>Single-threaded: one caller (the statistics actor) calls every method. No I/O.
 *
 * <p>Exactly-once effect: per array and per record kind it keeps the last sequence applied, and
 * skips a record whose sequence is not above it. That suffices because the topic is keyed by
 * array id, so one array's records arrive in order, each kind with its own increasing sequence;
 * re-deliveries (a retried producer batch, a consumer re-reading after a restart from the
 * offsets kept with {@link #snapshot}) are therefore always at or below the mark.
 */
public final class LiveStatistics {
    private final StatisticsConfig config;
    private final Map<String, ArrayStatistics> arrays = new LinkedHashMap<>();
    private final List<StatisticsEvent> events = new ArrayList<>();
    private final Map<String, ModelFit> fits = new HashMap<>();
    /** ln G of the frame being applied: reused, so a read allocates nothing per cell. */
    private double[] lnG = new double[0];

    public LiveStatistics(StatisticsConfig config) {
        this.config = config;
    }

    public static LiveStatistics of(DevicePreset preset) {
        return new LiveStatistics(StatisticsConfig.defaults(preset));
    }

    public StatisticsConfig config() {
        return config;
    }

    /**
     * Applies one record.
     *
     * @return true when applied, false when skipped as a duplicate (sequence already applied)
     */
    public boolean apply(ConductanceRecord record) {
        ArrayStatistics array = arrays.computeIfAbsent(record.arrayId(), id -> new ArrayStatistics(id, config));
        if (record instanceof ReadRecord read) {
            if (read.sequence() <= array.lastReadSequence) {
                array.duplicatesSkipped++;
                return false;
            }
            array.applyRead(read.frame(), scratch(read.block().cells()), events);
        } else {
            ProgrammedRecord programmed = (ProgrammedRecord) record;
            if (programmed.sequence() <= array.lastProgrammedSequence) {
                array.duplicatesSkipped++;
                return false;
            }
            array.applyProgrammed(programmed);
        }
        return true;
    }

    /**
     * Applies one record read in place from Kafka's bytes (no copy of its cells, no per-cell
     * allocation); the same effect as {@link #apply(ConductanceRecord)} of its decoded record.
     *
     * @return true when applied, false when skipped as a duplicate (sequence already applied)
     */
    public boolean apply(RecordView record) {
        if (!record.isRead()) {
            return apply(record.record());
        }
        ArrayStatistics array = arrays.computeIfAbsent(record.arrayId(), id -> new ArrayStatistics(id, config));
        if (record.sequence() <= array.lastReadSequence) {
            array.duplicatesSkipped++;
            return false;
        }
        array.applyRead(record, scratch(record.block().cols()), events);
        return true;
    }

    private double[] scratch(int cells) {
        if (lnG.length < cells) {
            lnG = new double[cells];
        }
        return lnG;
    }

    /** Events raised since the last call, oldest first; the list is then emptied. */
    public List<StatisticsEvent> drainEvents() {
        List<StatisticsEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    /** Ids of the arrays seen, in order of first record. */
    public Set<String> arrayIds() {
        return Collections.unmodifiableSet(arrays.keySet());
    }

    /** The model over all arrays. Fits are cached until a record changes them. */
    public StatisticsReport report() {
        return reported(reportSnapshot());
    }

    /** The model of one array, or empty when no record of it was seen. */
    public Optional<StatisticsReport> report(String arrayId) {
        return reportSnapshot(arrayId).map(this::reported);
    }

    private StatisticsReport reported(ReportSnapshot snapshot) {
        StatisticsReport report = snapshot.report();
        keep(snapshot);
        return report;
    }

    /**
     * What {@link #report()} needs, copied now: the report can then be fitted on another thread
     * while this engine goes on applying records. Cheap when the cached fit is current (counters
     * only); otherwise the arrays' histograms are merged into the copy.
     */
    public ReportSnapshot reportSnapshot() {
        long version = 0;
        long[] c = new long[7];
        for (ArrayStatistics a : arrays.values()) {
            version += a.version;
            addCounters(c, a);
        }
        ModelFit fit = fits.get(StatisticsReport.OVERALL);
        if (fit != null && fit.version() == version) {
            return new ReportSnapshot(StatisticsReport.OVERALL, arrays.size(), version, config, c, null, null, null, fit);
        }
        LevelHistogram histogram = new LevelHistogram(config.preset());
        NoiseHistogram noise = new NoiseHistogram();
        DriftBins drift = new DriftBins(config.preset().levels());
        for (ArrayStatistics a : arrays.values()) {
            histogram.merge(a.histogram);
            noise.merge(a.noise);
            drift.merge(a.drift);
        }
        return new ReportSnapshot(StatisticsReport.OVERALL, arrays.size(), version, config, c, histogram, noise, drift, null);
    }

    /** The same for one array; empty when no record of it was seen. */
    public Optional<ReportSnapshot> reportSnapshot(String arrayId) {
        ArrayStatistics a = arrays.get(arrayId);
        if (a == null) {
            return Optional.empty();
        }
        long[] c = new long[7];
        addCounters(c, a);
        ModelFit fit = fits.get(arrayId);
        if (fit != null && fit.version() == a.version) {
            return Optional.of(new ReportSnapshot(arrayId, 1, a.version, config, c, null, null, null, fit));
        }
        LevelHistogram histogram = new LevelHistogram(config.preset());
        histogram.merge(a.histogram);
        NoiseHistogram noise = new NoiseHistogram();
        noise.merge(a.noise);
        DriftBins drift = new DriftBins(config.preset().levels());
        drift.merge(a.drift);
        return Optional.of(new ReportSnapshot(arrayId, 1, a.version, config, c, histogram, noise, drift, null));
    }

    /** Caches the fit a {@link ReportSnapshot} of this engine made, unless a newer one is cached. */
    public void keep(ReportSnapshot snapshot) {
        ModelFit fit = snapshot.newFit();
        if (fit == null) {
            return;
        }
        ModelFit held = fits.get(snapshot.scope());
        if (held == null || held.version() < fit.version()) {
            fits.put(snapshot.scope(), fit);
        }
    }

    /** Read frames applied over all arrays (without fitting anything). */
    public long framesApplied() {
        long n = 0;
        for (ArrayStatistics a : arrays.values()) n += a.framesApplied;
        return n;
    }

    private static void addCounters(long[] c, ArrayStatistics a) {
        c[0] += a.framesApplied;
        c[1] += a.programmedApplied;
        c[2] += a.duplicatesSkipped;
        c[3] += a.framesSuspect;
        c[4] += a.cellsRead;
        c[5] += a.cellsUnlabelled;
        c[6] += a.cellsUnusable;
    }

    /**
     * A preset fitted from all arrays: {@code base} with the fitted sigma (pooled over levels; from
     * the reads soon after programming, L < 0.1, when there are enough, since drift widens later ones), stuck
     * fractions, read noise and drift law; what was not measured keeps the base's value.
     * {@link DevicePreset#toHocon()} or {@link DevicePreset#writeTo} gives the file.
     */
    public DevicePreset fittedPreset(DevicePreset base, String name) {
        LevelHistogram fresh = new LevelHistogram(config.preset());
        for (ArrayStatistics a : arrays.values()) fresh.merge(a.fresh);
        double sigma = fresh.total() >= PresetFit.MIN_FRESH_READS ? fresh.fit(config.preset()).pooledLogSigma() : Double.NaN;
        return PresetFit.fit(base, name, report(), sigma);
    }

    /**
     * The whole state and the caller's Kafka offsets (e.g. "topic-partition" to next offset), in the
     * format of {@link SnapshotFormat}. Call {@link #drainEvents()} first: pending events are not kept.
     */
    public byte[] snapshot(Map<String, Long> kafkaOffsets) {
        return SnapshotFormat.write(this, kafkaOffsets);
    }

    /**
     * The engine and offsets saved by {@link #snapshot}; its reports equal the saved engine's.
     *
     * @throws SnapshotException when the bytes are not an intact snapshot of a known version
     */
    public static Restored restore(byte[] snapshot) {
        return SnapshotFormat.read(snapshot);
    }

    /**
     * What {@link #merged} needs to report on this engine's arrays: their summaries and counters
     * without the per-cell state (a few KiB per array instead of a checkpoint's cells).
     */
    public byte[] summary() {
        return SnapshotFormat.write(this, Map.of(), false);
    }

    /**
     * One engine over the arrays of several, from their {@link #summary()}s: the model of a topic
     * whose partitions are kept by different owners. Each array's records are in one partition, so
     * the owners hold disjoint arrays; should two name the same array (an owner that moved and one
     * not yet gone), the one further along counts. For reports and fitted presets only.
     *
     * @throws SnapshotException when a summary is unreadable
     */
    public static LiveStatistics merged(DevicePreset preset, List<byte[]> summaries) {
        LiveStatistics out = LiveStatistics.of(preset);
        for (byte[] bytes : summaries) {
            LiveStatistics part = restore(bytes).statistics();
            part.arrays.forEach((id, a) -> {
                ArrayStatistics held = out.arrays.get(id);
                if (held == null || a.lastReadSequence + a.lastProgrammedSequence
                        > held.lastReadSequence + held.lastProgrammedSequence) {
                    out.arrays.put(id, a);
                }
            });
        }
        return out;
    }

    Map<String, ArrayStatistics> arrays() {
        return arrays;
    }

    ArrayStatistics addArray(String id) {
        return arrays.computeIfAbsent(id, i -> new ArrayStatistics(i, config));
    }
}
