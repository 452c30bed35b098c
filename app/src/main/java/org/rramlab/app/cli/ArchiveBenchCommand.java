package org.rramlab.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rramlab.app.bench.ArchiveBench;
import org.rramlab.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `rramlab bench archive`: the archive's throughput, bytes on disk and export times (docs/benchmarks.md). */
@Command(name = "archive", mixinStandardHelpOptions = true, description = {
        "Publish read frames at full speed to an embedded broker while the archive writes them, then export",
        "them: cell reads/s produced and archived, bytes on disk per million reads, export time per 10^9 reads."})
public final class ArchiveBenchCommand implements Callable<Integer> {
    @Option(names = "--arrays", defaultValue = "4", description = "Arrays publishing at once (default ${DEFAULT-VALUE}).")
    int arrays;
    @Option(names = "--rows", defaultValue = "256", description = "Rows per frame (default ${DEFAULT-VALUE}).")
    int rows;
    @Option(names = "--cols", defaultValue = "256", description = "Columns per frame (default ${DEFAULT-VALUE}).")
    int cols;
    @Option(names = "--seconds", defaultValue = "30", description = "How long to publish (default ${DEFAULT-VALUE}).")
    int seconds;
    @Option(names = "--dir", description = "Scratch directory (default: a temporary one, deleted after).")
    Path dir;
    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path scratch = dir != null ? dir : Files.createTempDirectory("rramlab-bench-archive");
        try {
            ArchiveBench.Result r = ArchiveBench.run(new ArchiveBench.Options(arrays, rows, cols, seconds, scratch));
            if (json) {
                System.out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
            } else {
                System.out.printf("produced            %,.0f cell reads/s (%d arrays of %dx%d for %d s)%n",
                        r.producedCellsPerSecond(), arrays, rows, cols, seconds);
                System.out.printf("archived meanwhile  %,.0f cell reads/s; lag at the end %d records, drained in %.1f s%n",
                        r.archivedCellsPerSecond(), r.lagAtEndRecords(), r.drainSeconds());
                System.out.printf("on disk             %,d bytes for %,d cell reads: %,.0f bytes per million reads%n",
                        r.bytesOnDisk(), r.cellReads(), r.bytesPerMillionReads());
                System.out.printf("CSV export          %.1f s for %,d cell reads -> %.0f s per 10^9%n",
                        r.csvSeconds(), r.csvCells(), r.csvSecondsPer1e9());
                System.out.printf("HDF5 export         %.1f s for %,d cell reads -> %.0f s per 10^9 (bounded by memory)%n",
                        r.hdf5Seconds(), r.hdf5Cells(), r.hdf5SecondsPer1e9());
            }
            return 0;
        } finally {
            if (dir == null) {
                try (var files = Files.walk(scratch)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
