package org.rramlab.archive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A JVM that only runs the archive, so that a test can kill it with SIGKILL while it writes. */
public final class ArchiverChild {
    private ArchiverChild() {}

    public static void main(String[] args) {
        ArchiveSettings settings = new ArchiveSettings(args[0], "rramlab-archive", 64 * 1024, Duration.ofMillis(100),
                Duration.ofDays(7), 0.5, 1 << 30);
        Archiver archiver = new Archiver(settings, ArchiveIndex.open(ArchiveLayout.under(Path.of(args[1]))),
                array -> Map.of("preset", "dac2020-65nm"));
        archiver.run();
    }
}
