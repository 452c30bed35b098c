package org.rramlab.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of every thread of this process, user + system, from /proc/self/task (Linux): the
 * JVM's own threads (GC, JIT) included, which no Java API or JFR sample shows.
 */
final class ThreadCpu {
    /** Linux's USER_HZ: the unit of utime and stime in /proc/.../stat. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** @param seconds CPU seconds so far; @param name the kernel's name of the thread (15 characters at most) */
    record Sample(long tid, String name, double seconds) {}

    private ThreadCpu() {}

    /** Every live thread's CPU so far, by native thread id; empty where /proc is not there. */
    static Map<Long, Sample> now() {
        Map<Long, Sample> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    // "tid (comm) state ppid ...": comm may hold spaces and parentheses, so cut at the last ')'
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] f = stat.substring(close + 2).split(" ");
                    // after comm: f[0] state ... f[11] utime, f[12] stime (fields 14 and 15 of the line)
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    long tid = Long.parseLong(stat.substring(0, open).trim());
                    out.put(tid, new Sample(tid, stat.substring(open + 1, close), seconds));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: it is not counted
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    /** CPU each thread used between two samples (threads born meanwhile: all of theirs). */
    static Map<Long, Sample> between(Map<Long, Sample> before, Map<Long, Sample> after) {
        Map<Long, Sample> out = new HashMap<>();
        after.forEach((tid, s) -> {
            Sample b = before.get(tid);
            double used = s.seconds() - (b == null ? 0 : b.seconds());
            if (used > 0) {
                out.put(tid, new Sample(tid, s.name(), used));
            }
        });
        return out;
    }
}
