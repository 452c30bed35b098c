package org.rramlab.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rramlab.serialization.CborSerializable;

/**
 * What refreshes wrote into a deployment's arrays (each device was also written once when the
 * network was programmed): per array, cell (row * cols + col) to the times a refresh wrote it, the
 * pulses they took, and every refresh. Only written cells are kept, so it stays small.
 */
public record Endurance(Map<String, Map<Integer, Integer>> writes, long pulses, List<DeploymentEvent.Refresh> refreshes)
        implements CborSerializable {
    public static final Endurance NONE = new Endurance(Map.of(), 0, List.of());

    Endurance refreshed(DeploymentEvent.Refreshed r) {
        Map<String, Map<Integer, Integer>> all = new TreeMap<>();
        writes.forEach((array, cells) -> all.put(array, new TreeMap<>(cells)));
        r.cells().forEach((array, cells) -> {
            Map<Integer, Integer> counts = all.computeIfAbsent(array, a -> new TreeMap<>());
            for (int cell : cells) {
                counts.merge(cell, 1, Integer::sum);
            }
        });
        List<DeploymentEvent.Refresh> done = new ArrayList<>(refreshes);
        done.add(r.refresh());
        return new Endurance(all, pulses + r.refresh().pulses(), List.copyOf(done));
    }

    /** Devices written by refreshes at least once. */
    public long devicesWritten() {
        return writes.values().stream().mapToLong(Map::size).sum();
    }

    /** Refresh writes, all devices together. */
    public long deviceWrites() {
        return writes.values().stream().flatMap(c -> c.values().stream()).mapToLong(Integer::longValue).sum();
    }

    /** The most refresh writes of one device (0 before the first refresh). */
    public int maxWrites() {
        return writes.values().stream().flatMap(c -> c.values().stream()).mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Times refreshes wrote cell {@code cell} (row * cols + col) of {@code arrayId}. */
    int writesOf(String arrayId, int cell) {
        Map<Integer, Integer> cells = writes.get(arrayId);
        return cells == null ? 0 : cells.getOrDefault(cell, 0);
    }

    /** Devices refreshes wrote {@code times} times or more. */
    long devicesWrittenAtLeast(int times) {
        return writes.values().stream().flatMap(c -> c.values().stream()).filter(n -> n >= times).count();
    }

    /** Refresh writes -> devices written that often. */
    public Map<Integer, Long> histogram() {
        Map<Integer, Long> h = new TreeMap<>();
        writes.values().forEach(c -> c.values().forEach(n -> h.merge(n, 1L, Long::sum)));
        return h;
    }

    /** Devices written in the month of array time before {@code arrayTimeSeconds}. */
    long devicesInMonthBefore(double arrayTimeSeconds) {
        return refreshes.stream().filter(r -> r.arrayTimeSeconds() > arrayTimeSeconds - DriftSettings.Refresh.MONTH_SECONDS)
                .mapToLong(DeploymentEvent.Refresh::devices).sum();
    }

    /** Pulses spent in the month of array time before {@code arrayTimeSeconds}. */
    long pulsesInMonthBefore(double arrayTimeSeconds) {
        return refreshes.stream().filter(r -> r.arrayTimeSeconds() > arrayTimeSeconds - DriftSettings.Refresh.MONTH_SECONDS)
                .mapToLong(DeploymentEvent.Refresh::pulses).sum();
    }
}
