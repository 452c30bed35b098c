package org.rramlab.datasets;

import java.nio.file.Path;
import java.util.List;

/** A dataset's directory and, per expected file, what is wrong with it (null when intact). */
public record DatasetStatus(Dataset dataset, Path dir, List<FileState> files) {
    public record FileState(String name, String problem) {}

    public boolean intact() {
        return files.stream().allMatch(f -> f.problem() == null);
    }

    public boolean absent() {
        return files.stream().allMatch(f -> "missing".equals(f.problem()));
    }
}
