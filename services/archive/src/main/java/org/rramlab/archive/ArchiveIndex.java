package org.rramlab.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the archive holds, from its directory listing: the segments of every array and kind in
 * sequence order, and the last sequence archived of each (what makes re-delivered records
 * recognisable as duplicates after a crash). Leftover temporary files of an interrupted write are
 * deleted when the index is opened: their records were never committed to Kafka and come again.
 * Thread-safe: the archive's writer adds segments while readers (status, export) look.
 */
public final class ArchiveIndex {
    private final ArchiveLayout layout;
    private final Map<String, List<Segment>> reads = new TreeMap<>();
    private final Map<String, List<Segment>> programmed = new TreeMap<>();
    /** Totals over every array, kept as segments are added: the writer's status asks for them at every poll. */
    private Totals all = new Totals(0, 0, 0, 0);

    private ArchiveIndex(ArchiveLayout layout) {
        this.layout = layout;
    }

    public static ArchiveIndex open(ArchiveLayout layout) {
        ArchiveIndex index = new ArchiveIndex(layout);
        if (!Files.isDirectory(layout.root())) {
            return index;
        }
        try (Stream<Path> arrays = Files.list(layout.root())) {
            for (Path dir : arrays.filter(Files::isDirectory).toList()) {
                String arrayId = ArchiveLayout.arrayIdOf(dir);
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        if (f.getFileName().toString().endsWith(ArchiveLayout.TEMP_SUFFIX)) {
                            Files.deleteIfExists(f);
                            continue;
                        }
                        ArchiveLayout.parse(arrayId, f, Files.size(f)).ifPresent(index::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the archive in " + layout.root() + ": " + e.getMessage(), e);
        }
        index.reads.values().forEach(l -> l.sort(Comparator.comparingLong(Segment::first)));
        index.programmed.values().forEach(l -> l.sort(Comparator.comparingLong(Segment::first)));
        return index;
    }

    public ArchiveLayout layout() {
        return layout;
    }

    public synchronized void add(Segment s) {
        (s.kind() == SegmentKind.READS ? reads : programmed).computeIfAbsent(s.arrayId(), k -> new ArrayList<>()).add(s);
        all = all.plus(s);
    }

    /** The last sequence archived of this array and kind; 0 when none (sequences start at 1). */
    public synchronized long lastSequence(String arrayId, SegmentKind kind) {
        List<Segment> l = (kind == SegmentKind.READS ? reads : programmed).get(arrayId);
        return l == null || l.isEmpty() ? 0 : l.get(l.size() - 1).last();
    }

    public synchronized List<Segment> segments(String arrayId, SegmentKind kind) {
        return List.copyOf((kind == SegmentKind.READS ? reads : programmed).getOrDefault(arrayId, List.of()));
    }

    public synchronized List<String> arrays() {
        List<String> out = new ArrayList<>(reads.keySet());
        programmed.keySet().stream().filter(a -> !reads.containsKey(a)).forEach(out::add);
        return out;
    }

    /** Totals over one array's reads, or every array's when {@code arrayIdOrNull} is null. */
    public synchronized Totals totals(String arrayIdOrNull) {
        if (arrayIdOrNull == null) {
            return all;
        }
        long frames = 0;
        long cells = 0;
        long bytes = 0;
        int files = 0;
        for (Map<String, List<Segment>> kind : List.of(reads, programmed)) {
            for (var e : kind.entrySet()) {
                if (arrayIdOrNull != null && !arrayIdOrNull.equals(e.getKey())) {
                    continue;
                }
                for (Segment s : e.getValue()) {
                    if (kind == reads) {
                        frames += s.count();
                        cells += s.cells();
                    }
                    bytes += s.bytes();
                    files++;
                }
            }
        }
        return new Totals(frames, cells, bytes, files);
    }

    /** Read frames and cell reads archived, and the bytes and files they take (programming included). */
    public record Totals(long frames, long cellReads, long bytes, int files) {
        Totals plus(Segment s) {
            boolean read = s.kind() == SegmentKind.READS;
            return new Totals(frames + (read ? s.count() : 0), cellReads + (read ? s.cells() : 0), bytes + s.bytes(),
                    files + 1);
        }
    }
}
