package org.rramlab.archive;

import java.nio.file.Path;

/**
 * One archive file: records {@code first..last} (sequences) of one array and kind, {@code count}
 * of them, each of {@code cellsPerRecord} cells. Everything but the size is in the file's name, so
 * that the index is rebuilt from a directory listing without opening a file.
 */
public record Segment(String arrayId, SegmentKind kind, long first, long last, int count, int cellsPerRecord,
                      Path path, long bytes) {
    public long cells() {
        return (long) count * cellsPerRecord;
    }
}
