package org.rramlab.livearchive;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.http.Json;

/**
 * Which files were imported under which array id, kept in {@code <data-dir>/imports.json}. The
 * archive keeps a record once per (array, sequence) and skips a second one as a duplicate, so a
 * second, different file whose sequences overlap the first would be dropped without a word: the
 * ledger refuses it (409) before anything is published. The same file again is recognised by its
 * SHA-256 and answered with what it brought the first time, publishing nothing.
 */
final class ImportLedger {
    /** One imported file: its hash, the sequences it covers, what it brought, its run metadata (null: none, or older). */
    record Entry(String sha256, long firstSequence, long lastSequence, long frames, long cellReads,
                 long programmings, boolean done, Map<String, Object> metadata) {
        boolean overlaps(long first, long last) {
            return first <= lastSequence && firstSequence <= last;
        }
    }

    /** What to do with a file: publish it, answer with a former import, or refuse it. */
    sealed interface Decision {}

    record Publish() implements Decision {}

    record AlreadyImported(Entry entry) implements Decision {}

    record Conflict(String reason) implements Decision {}

    private final Path file;
    private final Map<String, List<Entry>> byArray;

    private ImportLedger(Path file, Map<String, List<Entry>> byArray) {
        this.file = file;
        this.byArray = byArray;
    }

    static ImportLedger open(Path dataDir) {
        Path file = dataDir.resolve("imports.json");
        Map<String, List<Entry>> m = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                m.putAll(Json.mapper().readValue(file.toFile(), new TypeReference<Map<String, List<Entry>>>() {}));
            } catch (IOException e) {
                throw new IllegalStateException("the import ledger " + file + " is not readable (" + e.getMessage()
                        + "); restore it from a backup or move it away (imports are then checked against the archive only)", e);
            }
        }
        // a file whose publishing was cut off by a stop is not imported: it may be sent again
        m.replaceAll((k, v) -> new ArrayList<>(v.stream().filter(Entry::done).toList()));
        return new ImportLedger(file, m);
    }

    /**
     * Reserves the sequences of a file for an array when nothing imported or archived under it
     * overlaps them.
     *
     * @param archivedUpTo the last sequence the archive holds of this array (0: none)
     */
    synchronized Decision reserve(String arrayId, String sha256, long first, long last, long archivedUpTo) {
        List<Entry> entries = byArray.computeIfAbsent(arrayId, k -> new ArrayList<>());
        for (Entry e : entries) {
            if (e.sha256().equals(sha256)) {
                return e.done() ? new AlreadyImported(e) : new Conflict("the same file is being imported under array "
                        + arrayId + " right now; wait for that import's answer");
            }
        }
        for (Entry e : entries) {
            if (e.overlaps(first, last)) {
                return new Conflict("array " + arrayId + " already holds imported reads with sequences "
                        + e.firstSequence() + ".." + e.lastSequence() + " from a different file (sha256 "
                        + e.sha256().substring(0, 12) + "...); this file's sequences " + first + ".." + last
                        + " overlap them and would be dropped as duplicates. Import it under a new array id, or number"
                        + " its reads after " + e.lastSequence());
            }
        }
        if (archivedUpTo >= first) {
            return new Conflict("the archive already holds reads of array " + arrayId + " up to sequence "
                    + archivedUpTo + "; this file's sequences start at " + first + " and would be dropped as"
                    + " duplicates. Import it under a new array id, or number its reads after " + archivedUpTo);
        }
        entries.add(new Entry(sha256, first, last, 0, 0, 0, false, null));
        return new Publish();
    }

    /** The reserved file was published whole: recorded for good. */
    synchronized void done(String arrayId, String sha256, long frames, long cellReads, long programmings,
                           Map<String, Object> metadata) throws IOException {
        List<Entry> entries = byArray.get(arrayId);
        entries.replaceAll(e -> e.sha256().equals(sha256)
                ? new Entry(sha256, e.firstSequence(), e.lastSequence(), frames, cellReads, programmings, true, metadata) : e);
        save();
    }

    /** The reserved file was not published whole: it may be sent again. */
    synchronized void release(String arrayId, String sha256) {
        List<Entry> entries = byArray.get(arrayId);
        if (entries != null) {
            entries.removeIf(e -> e.sha256().equals(sha256) && !e.done());
        }
    }

    private void save() throws IOException {
        Map<String, List<Entry>> kept = new LinkedHashMap<>();
        byArray.forEach((k, v) -> {
            List<Entry> done = v.stream().filter(Entry::done).toList();
            if (!done.isEmpty()) {
                kept.put(k, done);
            }
        });
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Json.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), kept);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
