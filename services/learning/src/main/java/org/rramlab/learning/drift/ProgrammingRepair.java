package org.rramlab.learning.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rramlab.device.RramArray;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.osa.Importance;

/**
 * Selective write-verify right after the one-shot programming: read the arrays, and write again, with
 * write-verify, the devices of the {@code fraction} of weights whose error costs most (importance x |error|).
 * Write-verify cannot move a device stuck at one end; when a weight is still more than half a level off after
 * its own device was written, the other device of its pair is written to make up for it (a device stuck at
 * Gmax in G+ is cancelled by G- = Gmax - target). No area: it costs pulses and one write per device.
 */
public final class ProgrammingRepair {
    private static final int IMPORTANCE_BATCH = 256;

    /** What one repair cost: weights chosen, partner devices written after that, write-verify pulses. */
    public record Outcome(int weights, int partners, long pulses) {
        public static final Outcome NONE = new Outcome(0, 0, 0);
    }

    private ProgrammingRepair() {}

    public static Outcome run(WeightMapping m, Map<String, RramArray> arrays, Network net, Dataset calibration,
                       double fraction) {
        int budget = (int) Math.round(fraction * m.weightCount());
        if (budget == 0) {
            return Outcome.NONE;
        }
        ColumnGains none = ColumnGains.identity(m, false, 8, 6);
        MeasuredConductances first = Mapper.read(m, arrays).toCompletableFuture().join();
        List<float[]> weights = first.effectiveWeights(m);
        List<float[]> importance = Importance.compute(net, weights, calibration, IMPORTANCE_BATCH).meanAbsGradient();
        List<SelectiveRefresh.Device> chosen = SelectiveRefresh.choose(m, weights, importance, budget);
        long pulses = SelectiveRefresh.apply(m, arrays, first, none, chosen).toCompletableFuture().join().pulses();

        MeasuredConductances second = Mapper.read(m, arrays).toCompletableFuture().join();
        List<SelectiveRefresh.Device> partners = partnersStillOff(m, second.effectiveWeights(m), chosen, Integer.MAX_VALUE);
        pulses += SelectiveRefresh.apply(m, arrays, second, none, partners).toCompletableFuture().join().pulses();
        return new Outcome(chosen.size(), partners.size(), pulses);
    }

    /**
     * The other device of each written one whose weight ({@code after}, as the gains see it) is still more than
     * half a level off its target: a stuck device is cancelled through its pair. At most {@code limit}.
     */
    public static List<SelectiveRefresh.Device> partnersStillOff(WeightMapping m, List<float[]> after,
                                                                 List<SelectiveRefresh.Device> written, int limit) {
        List<float[]> targets = m.targetWeights();
        List<SelectiveRefresh.Device> partners = new ArrayList<>();
        for (SelectiveRefresh.Device d : written) {
            double halfLevel = 0.5 * m.layers().get(d.layer()).wMax() / (m.levels() - 1);
            if (partners.size() < limit
                    && Math.abs(after.get(d.layer())[d.weight()] - targets.get(d.layer())[d.weight()]) > halfLevel) {
                partners.add(new SelectiveRefresh.Device(d.layer(), d.weight(), !d.plus(), d.score()));
            }
        }
        return partners;
    }
}
