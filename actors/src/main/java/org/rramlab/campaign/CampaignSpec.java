package org.rramlab.campaign;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.rramlab.device.Block;
import org.rramlab.node.RunMetadata;
import org.rramlab.serialization.CborSerializable;

/**
 * A drift campaign: program the arrays, then read them every {@code intervalSeconds} of array
 * time, {@code reads} times (or for {@code durationSeconds}), with optional bakes in between.
 * Simulated arrays run in accelerated time: the array clock advances by the interval per read
 * while the wall clock waits interval / acceleration.
 *
 * @param block        cells programmed and read; null: the whole array
 * @param bakes        after read number {@code afterRead} (0 = the first read), hold the arrays at
 *                     {@code temperatureKelvin} for {@code durationSeconds} of array time, then
 *                     return them to {@code ambientKelvin}
 * @param metadata     free-form run metadata (sample, wafer, operator, notes; see {@link RunMetadata}); null in
 *                     journals older than it
 */
public record CampaignSpec(List<String> arrays, ProgramPattern program, Block block, Boolean writeVerify,
                           Double intervalSeconds, Integer reads, Double durationSeconds, List<Bake> bakes,
                           Double acceleration, Double ambientKelvin, Map<String, Object> metadata)
        implements CborSerializable {
    public static final int MAX_READS = 10_000_000;
    /** Longest array time a campaign may cover, bakes included: about 100 years, beyond any retention study. */
    public static final double MAX_ARRAY_SECONDS = 3.2e9;
    /** Largest time acceleration: a year of array time in about 30 ms of wall time. */
    public static final double MAX_ACCELERATION = 1e9;

    /** A spec without metadata. */
    public CampaignSpec(List<String> arrays, ProgramPattern program, Block block, Boolean writeVerify,
                        Double intervalSeconds, Integer reads, Double durationSeconds, List<Bake> bakes,
                        Double acceleration, Double ambientKelvin) {
        this(arrays, program, block, writeVerify, intervalSeconds, reads, durationSeconds, bakes, acceleration,
                ambientKelvin, null);
    }

    public CampaignSpec {
        metadata = RunMetadata.normalized(metadata);
    }

    public Map<String, Object> metadataOrEmpty() {
        return metadata == null ? Map.of() : metadata;
    }

    /**
     * What to program: "every-level" (cell i gets level i mod levels), "level" (every cell to
     * {@code level}), "levels" (the stored targets {@code levels}, row-major over the block) or
     * "keep" (program nothing: follow what the arrays hold).
     */
    public record ProgramPattern(String pattern, Integer level, List<Integer> levels) implements CborSerializable {}

    public record Bake(Integer afterRead, Double temperatureKelvin, Double durationSeconds) implements CborSerializable {}

    public int totalReads() {
        if (reads != null) {
            return reads;
        }
        return (int) Math.min(MAX_READS, Math.floor(durationSeconds / intervalSeconds) + 1);
    }

    /** The array time the reads and bakes cover (valid bakes only). */
    double arrayTimeSeconds() {
        double bakes = bakesOrNone().stream().filter(b -> b != null && b.durationSeconds() != null)
                .mapToDouble(Bake::durationSeconds).sum();
        return (totalReads() - 1) * intervalSeconds + bakes;
    }

    public double accelerationOrOne() {
        return acceleration == null ? 1.0 : acceleration;
    }

    public double ambientOrDefault() {
        return ambientKelvin == null ? 300.0 : ambientKelvin;
    }

    public boolean writeVerifyOrFalse() {
        return writeVerify != null && writeVerify;
    }

    public List<Bake> bakesOrNone() {
        return bakes == null ? List.of() : bakes;
    }

    public String patternName() {
        return program == null || program.pattern() == null ? "every-level" : program.pattern();
    }

    /** Everything wrong with the spec, each saying what to give instead; empty when it is usable. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (arrays == null || arrays.isEmpty()) {
            out.add("arrays: give the ids of one or more registered arrays, e.g. \"arrays\": [\"sim-1\"]");
        } else {
            if (arrays.stream().anyMatch(a -> a == null || a.isBlank())) {
                out.add("arrays: an array id is blank");
            }
            if (new HashSet<>(arrays).size() != arrays.size()) {
                out.add("arrays: an array is named twice");
            }
        }
        if (intervalSeconds == null || !(intervalSeconds > 0 && intervalSeconds <= MAX_ARRAY_SECONDS)) {
            out.add("interval_seconds: give the array time between two reads, a number of seconds above 0 and at most "
                    + MAX_ARRAY_SECONDS + " (about 100 years)" + (intervalSeconds == null ? "" : ", got " + intervalSeconds));
        }
        if ((reads == null) == (durationSeconds == null)) {
            out.add("give either reads (how many) or duration_seconds (how long, in array time), not both or neither");
        } else if (reads != null && (reads < 1 || reads > MAX_READS)) {
            out.add("reads must be in 1.." + MAX_READS + ", got " + reads);
        } else if (durationSeconds != null && !(durationSeconds >= 0 && durationSeconds <= MAX_ARRAY_SECONDS)) {
            out.add("duration_seconds must be in 0.." + MAX_ARRAY_SECONDS + " (about 100 years of array time), got "
                    + durationSeconds);
        } else if (out.isEmpty() && arrayTimeSeconds() > MAX_ARRAY_SECONDS) {
            out.add("the campaign covers " + arrayTimeSeconds() + " s of array time (reads x interval_seconds plus bakes);"
                    + " at most " + MAX_ARRAY_SECONDS + " (about 100 years): give fewer reads or a shorter interval");
        }
        if (acceleration != null && !(acceleration > 0 && acceleration <= MAX_ACCELERATION)) {
            out.add("acceleration must be above 0 and at most " + MAX_ACCELERATION + " (1: real time), got " + acceleration);
        }
        if (ambientKelvin != null && !(ambientKelvin >= 1 && ambientKelvin <= 2000)) {
            out.add("ambient_kelvin must be in 1..2000 K, got " + ambientKelvin);
        }
        out.addAll(RunMetadata.problems(metadata));
        String pattern = patternName();
        switch (pattern) {
            case "every-level", "keep" -> { }
            case "level" -> {
                if (program.level() == null || program.level() < 0) {
                    out.add("program: pattern \"level\" needs \"level\": a level index >= 0");
                }
            }
            case "levels" -> {
                if (program.levels() == null || program.levels().isEmpty()) {
                    out.add("program: pattern \"levels\" needs \"levels\": one level per cell of the block, row-major");
                }
            }
            default -> out.add("program: unknown pattern \"" + pattern
                    + "\"; use every-level, level, levels or keep");
        }
        int previous = -1;
        for (Bake b : bakesOrNone()) {
            if (b == null || b.afterRead() == null || b.temperatureKelvin() == null || b.durationSeconds() == null) {
                out.add("bakes: each bake needs after_read, temperature_kelvin and duration_seconds");
                continue;
            }
            if (b.afterRead() <= previous) {
                out.add("bakes: after_read must increase from one bake to the next (at most one bake after a read)");
            }
            previous = b.afterRead();
            if (out.isEmpty() && b.afterRead() >= totalReads() - 1) {
                out.add("bakes: after_read " + b.afterRead() + " leaves no read after the bake; use 0.." + (totalReads() - 2));
            }
            if (b.afterRead() < 0) {
                out.add("bakes: after_read must be >= 0 (0 is the first read)");
            }
            if (!(b.temperatureKelvin() >= 1 && b.temperatureKelvin() <= 2000)) {
                out.add("bakes: temperature_kelvin must be in 1..2000 K (358.15 is 85 C), got " + b.temperatureKelvin());
            }
            if (!(b.durationSeconds() > 0 && b.durationSeconds() <= MAX_ARRAY_SECONDS)) {
                out.add("bakes: duration_seconds must be above 0 and at most " + MAX_ARRAY_SECONDS + ", got "
                        + b.durationSeconds());
            }
        }
        return out;
    }
}
