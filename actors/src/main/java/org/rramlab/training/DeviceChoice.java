package org.rramlab.training;

import static org.rramlab.node.Failures.rootMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.rramlab.device.DevicePreset;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.statistics.StatisticsReport;

/**
 * The device model a kd student trains against, and a sentence saying where it came from (it is
 * recorded with the job and in the model's metadata).
 */
record DeviceChoice(DevicePreset preset, String description) {
    private static final Duration ASK = Duration.ofSeconds(30);

    /** A teacher trains in full precision: no device model. */
    static DeviceChoice none() {
        return new DeviceChoice(null, "none: full-precision training");
    }

    /**
     * "preset:NAME": {@code <data-dir>/presets/NAME.conf} (written by POST /api/statistics/preset)
     * or else config/presets.
     *
     * @throws IllegalArgumentException when neither holds it; the message says what to give
     */
    static DeviceChoice preset(String name, Path dataDir) {
        Path fitted = dataDir.resolve("presets").resolve(name + ".conf");
        DevicePreset p;
        try {
            p = DevicePreset.load(Files.isRegularFile(fitted) ? fitted.toString() : name);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("device: no usable preset \"" + name + "\" (" + e.getMessage()
                    + "); name one in config/presets or " + fitted.getParent() + ", or use \"live\"", e);
        }
        return new DeviceChoice(p, "preset " + p.name() + ": " + numbers(p));
    }

    /**
     * "live": the preset the statistics fit from what they have read. While they have read nothing
     * (or there are none, or they do not answer) the node's base preset, saying so.
     */
    static CompletionStage<DeviceChoice> live(ActorRef<StatisticsActor.Command> statistics, DevicePreset base,
                                              String fitName, Scheduler scheduler) {
        if (statistics == null) {
            return CompletableFuture.completedFuture(fallback(base, "this node runs no live statistics"));
        }
        CompletionStage<Optional<StatisticsReport>> report = AskPattern.ask(statistics,
                to -> new StatisticsActor.GetReport(null, to), ASK, scheduler);
        return report.thenCompose(r -> {
            long reads = r.map(StatisticsReport::cellsRead).orElse(0L);
            if (reads == 0) {
                return CompletableFuture.completedFuture(fallback(base, "the live statistics have no reads yet"));
            }
            return AskPattern.<StatisticsActor.Command, DevicePreset>ask(statistics,
                            to -> new StatisticsActor.FitPreset(fitName, to), ASK, scheduler)
                    .thenApply(p -> new DeviceChoice(p, "live statistics: " + numbers(p) + " from " + count(reads)
                            + " reads"));
        }).exceptionally(e -> fallback(base, "the live statistics did not answer: " + rootMessage(e)));
    }

    private static DeviceChoice fallback(DevicePreset base, String why) {
        return new DeviceChoice(base, "preset " + base.name() + " (" + why + "): " + numbers(base));
    }

    static String numbers(DevicePreset p) {
        return String.format(Locale.ROOT, "sigma %.2f, stuck %.1f/%.1f %%", p.variationSigma(),
                100 * p.stuckAtHighFraction(), 100 * p.stuckAtLowFraction());
    }

    /** 512, 20.5 k, 12.3 M, 4.1 G. */
    static String count(long n) {
        if (n < 1_000) {
            return Long.toString(n);
        }
        String[] units = {"k", "M", "G", "T"};
        double v = n;
        int u = -1;
        while (v >= 1_000 && u < units.length - 1) {
            v /= 1_000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
