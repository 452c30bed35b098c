package org.rramlab.app.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rramlab.deploy.DeploymentEvent;
import org.rramlab.deploy.DeploymentStatus;
import org.rramlab.learning.drift.DriftAction;

/** What the demo shows in the terminal: the rounds as they come, a status line, the closing table. */
public final class DemoSummary {
    private final Instant startedAt;
    private final List<DeploymentEvent.Round> rounds = new ArrayList<>();
    private final List<DeploymentEvent.Refresh> refreshes = new ArrayList<>();
    private Double firstRoundSeconds;
    /** Decisions seen, by their check number (the history keeps the recent ones only). */
    private final java.util.TreeMap<Integer, DeploymentEvent.Decided> decisions = new java.util.TreeMap<>();

    DemoSummary(Instant startedAt) {
        this.startedAt = startedAt;
    }

    /** Hands the decisions not seen yet that changed something (all but "nothing") to {@code show}. */
    void decisions(List<DeploymentEvent.Decided> all, Consumer<DeploymentEvent.Decided> show) {
        for (DeploymentEvent.Decided d : all) {
            if (decisions.putIfAbsent(d.check(), d) == null && d.action() != DriftAction.NOTHING) {
                show.accept(d);
            }
        }
    }

    /** Hands the refreshes not seen yet to {@code show}. */
    void refreshes(List<DeploymentEvent.Refresh> all, Consumer<DeploymentEvent.Refresh> show) {
        for (DeploymentEvent.Refresh r : all.subList(Math.min(refreshes.size(), all.size()), all.size())) {
            refreshes.add(r);
            show.accept(r);
        }
    }

    /** Hands the rounds not seen yet to {@code show}. */
    void rounds(List<DeploymentEvent.Round> all, Consumer<DeploymentEvent.Round> show) {
        for (DeploymentEvent.Round r : all.subList(Math.min(rounds.size(), all.size()), all.size())) {
            // a round of an earlier run (taken up again) is not this run's first
            if (firstRoundSeconds == null && r.at().isAfter(startedAt)) {
                firstRoundSeconds = Duration.between(startedAt, r.at()).toMillis() / 1e3;
            }
            rounds.add(r);
            show.accept(r);
        }
    }

    String line(DeploymentStatus s) {
        return String.format("array time %s | HIL %s (RRAM alone %s, software %.2f %%) | %d checks, %d OSA rounds"
                        + " | SRAM %.2f %% of the weights, area %s of the macro | %d refreshes: %,d devices written"
                        + " (at most %d times each), %,d pulses",
                s.arrayTimeSeconds() == null ? "-" : arrayTime(s.arrayTimeSeconds()), percent(s.accuracy()),
                percent(s.rawAccuracy()), 100 * s.softwareAccuracy(), s.checks(), s.rounds(), 100 * s.sramFraction(),
                percent(s.areaCostMacro()), s.refreshes(), s.refreshedDevices(), s.maxRefreshWrites(), s.refreshPulses());
    }

    /** The closing table: when the first round came, and every round's accuracy before and after. */
    public void print(PrintStream out) {
        out.println();
        out.printf("first OSA round %s%n", firstRoundSeconds == null ? "not reached in this run"
                : String.format("%.0f s after the demo started", firstRoundSeconds));
        out.println("round  trigger    array time   HIL before  after    RRAM alone  SRAM %   area % (macro)");
        for (DeploymentEvent.Round r : rounds) {
            out.printf("%5d  %-9s  %11s  %9.2f  %6.2f  %10.2f  %6.2f  %6.2f%s%n", r.number(), r.trigger(),
                    arrayTime(r.arrayTimeSeconds()), 100 * r.accuracyBefore(), 100 * r.accuracyAfter(),
                    100 * r.rawAccuracy(), 100 * r.sramFraction(), 100 * r.areaCostMacro(),
                    r.applied() ? "" : "  (not better: not applied)");
        }
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        decisions.values().forEach(d -> counts.merge(d.action().id(), 1, Integer::sum));
        out.printf("drift policy: %d decisions %s%n", decisions.size(), counts);
        long devices = refreshes.stream().mapToLong(DeploymentEvent.Refresh::devices).sum();
        long pulses = refreshes.stream().mapToLong(DeploymentEvent.Refresh::pulses).sum();
        out.printf("refreshes: %d, %,d device writes, %,d write-verify pulses%n", refreshes.size(), devices, pulses);
    }

    public Double firstRoundSeconds() {
        return firstRoundSeconds;
    }

    static String percent(Double fraction) {
        return fraction == null ? "-" : String.format("%.2f %%", 100 * fraction);
    }

    /** Wall time as m:ss from the demo's start. */
    static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format("[%3d:%02d]", s / 60, s % 60);
    }

    /** Array time in the unit that reads best: s, min, h, days or years. */
    static String arrayTime(double seconds) {
        if (seconds < 120) {
            return String.format("%.0f s", seconds);
        }
        if (seconds < 7_200) {
            return String.format("%.0f min", seconds / 60);
        }
        if (seconds < 172_800) {
            return String.format("%.1f h", seconds / 3_600);
        }
        if (seconds < 63_072_000) {
            return String.format("%.1f days", seconds / 86_400);
        }
        return String.format("%.1f years", seconds / 31_557_600);
    }
}
