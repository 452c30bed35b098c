package org.rramlab.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from /proc (Linux). */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Resident set size in MiB, or -1 where /proc is not there. */
    public static double rssMb() {
        return statusMb("VmRSS:");
    }

    /** The largest resident set size this process has had (VmHWM) in MiB, or -1 where /proc is not there. */
    public static double peakRssMb() {
        return statusMb("VmHWM:");
    }

    private static double statusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
