package org.rramlab.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free space under the data directory, looked at every rramlab.disk.check-interval. Below
 * min-free the node is low on disk: it says so (log ERROR, /ready down, metric rramlab.disk.low)
 * and takes no new work (HTTP 507, new reads not published), so that what it already acknowledged
 * still reaches the journal, Kafka's log and the archive in the space kept in reserve; once free
 * space is back above resume-free it takes work again. Kafka takes its log directory offline for
 * good on a write that fails for want of space: the reserve is what keeps it from ever failing one.
 *
 * <p>One per actor system (a Pekko extension), so that any part of the node can ask it; a system
 * without rramlab.data-dir (unit tests of single actors) has it switched off.
 */
public final class DiskSpace implements Extension {
    private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);

    public static final ExtensionId<DiskSpace> ID = new ExtensionId<>() {
        @Override
        public DiskSpace createExtension(ActorSystem<?> system) {
            return new DiskSpace(system);
        }
    };

    public static DiskSpace get(ActorSystem<?> system) {
        return system.registerExtension(ID);
    }

    private final Path dir;
    private final long minFree;
    private final long resumeFree;
    private final AtomicLong free = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean low;
    private volatile long lowSinceMillis;
    private volatile long alarms;

    private DiskSpace(ActorSystem<?> system) {
        Config c = system.settings().config();
        if (!c.hasPath("rramlab.data-dir") || !c.hasPath("rramlab.disk.min-free")) {
            dir = null;
            minFree = 0;
            resumeFree = 0;
            return;
        }
        dir = Path.of(c.getString("rramlab.data-dir")).toAbsolutePath();
        minFree = c.getBytes("rramlab.disk.min-free");
        resumeFree = Math.max(minFree, c.getBytes("rramlab.disk.resume-free"));
        Duration every = c.getDuration("rramlab.disk.check-interval");
        check();
        system.scheduler().scheduleAtFixedRate(every, every, this::check, system.executionContext());
    }

    /** Looks at the free space now and moves between normal and low; cheap (one statfs). */
    public void check() {
        if (dir == null) {
            return;
        }
        long now;
        try {
            FileStore store = Files.getFileStore(Files.isDirectory(dir) ? dir : dir.getParent());
            now = store.getUsableSpace();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot look at the free space under the data directory: {}", e.toString());
            return;
        }
        free.set(now);
        if (!low && now < minFree) {
            low = true;
            lowSinceMillis = System.currentTimeMillis();
            alarms++;
            log.error("disk full: {} free under the data directory {}, below rramlab.disk.min-free ({}); new work is"
                    + " refused (HTTP 507, reads not published) until {} are free: delete old exports or datasets,"
                    + " or give the volume more space", mib(now), dir, mib(minFree), mib(resumeFree));
        } else if (low && now >= resumeFree) {
            low = false;
            log.warn("disk space back: {} free under the data directory, at least rramlab.disk.resume-free ({});"
                    + " new work is taken again after {} s", mib(now), mib(resumeFree),
                    (System.currentTimeMillis() - lowSinceMillis) / 1000);
        }
    }

    /** True while free space is below min-free and has not come back above resume-free. */
    public boolean low() {
        return low;
    }

    public long freeBytes() {
        return dir == null ? -1 : free.get();
    }

    /** How often the node went low since it started. */
    public long alarms() {
        return alarms;
    }

    /** Why new work is refused now, for a person; empty while there is space. */
    public Optional<String> refusal() {
        if (!low) {
            return Optional.empty();
        }
        return Optional.of("disk full: the node's data directory has " + mib(free.get()) + " free, below"
                + " rramlab.disk.min-free (" + mib(minFree) + "); new work is refused until " + mib(resumeFree)
                + " are free (delete old exports or datasets, or give the volume more space), then send it again");
    }

    /** The part of /ready: down while low. */
    public Readiness.Part readiness() {
        if (dir == null) {
            return Readiness.Part.up("not watched");
        }
        return low ? Readiness.Part.down(refusal().orElse("disk full"))
                : Readiness.Part.up(mib(free.get()) + " free, min-free " + mib(minFree));
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
