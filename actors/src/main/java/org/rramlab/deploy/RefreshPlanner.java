package org.rramlab.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rramlab.learning.drift.ColumnGains;
import org.rramlab.learning.drift.SelectiveRefresh;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.WeightMapping;

/** Turns the devices {@link SelectiveRefresh} chooses into a {@link RefreshPlan}: cells per array and their targets. */
final class RefreshPlanner {
    private RefreshPlanner() {}

    /**
     * @param compensated the measured weights with {@code gains} applied
     * @param importance  per weight, zero where the SRAM corrects
     * @return null when no device is worth writing
     */
    static RefreshPlan plan(WeightMapping mapping, MeasuredConductances read, ColumnGains gains, List<float[]> compensated,
                            List<float[]> importance, RefreshBudget budget) {
        // as many more candidates as there are devices refreshes may no longer write (stuck ones, mostly)
        int cols = mapping.config().arrayCols();
        long asked = Math.min(Integer.MAX_VALUE, budget.devices() + (budget.devices() > 0 ? budget.retired() : 0));
        List<SelectiveRefresh.Write> writes = SelectiveRefresh.writes(mapping, read, gains,
                        SelectiveRefresh.choose(mapping, compensated, importance, (int) asked)).stream()
                .filter(w -> budget.mayWrite(w.arrayId(), w.row() * cols + w.col()))
                .limit(budget.devices()).toList();
        if (writes.isEmpty()) {
            return null;
        }
        List<SelectiveRefresh.Device> chosen = writes.stream().map(SelectiveRefresh.Write::device).toList();
        Map<String, TreeMap<Integer, Float>> byArray = new TreeMap<>();
        for (SelectiveRefresh.Write w : writes) {
            byArray.computeIfAbsent(w.arrayId(), a -> new TreeMap<>()).put(w.row() * cols + w.col(), (float) w.targetSiemens());
        }
        List<RefreshPlan.Cells> arrays = new ArrayList<>();
        byArray.forEach((array, cells) -> {
            int[] at = cells.keySet().stream().mapToInt(Integer::intValue).toArray();
            float[] targets = new float[at.length];
            int k = 0;
            for (float t : cells.values()) {
                targets[k++] = t;
            }
            arrays.add(new RefreshPlan.Cells(array, at, targets));
        });
        return new RefreshPlan(List.copyOf(arrays), share(mapping, chosen, compensated, importance),
                budget.monthlyDevices() == 0 ? 1 : chosen.size() / budget.monthlyDevices(),
                (long) chosen.size() * budget.pulsesPerDevice());
    }

    /** Share of the importance-weighted error the chosen devices carry. */
    private static double share(WeightMapping mapping, List<SelectiveRefresh.Device> chosen, List<float[]> compensated,
                                List<float[]> importance) {
        List<float[]> targets = mapping.targetWeights();
        double total = 0;
        for (int l = 0; l < targets.size(); l++) {
            for (int i = 0; i < targets.get(l).length; i++) {
                total += importance.get(l)[i] * Math.abs(compensated.get(l)[i] - targets.get(l)[i]);
            }
        }
        double picked = chosen.stream().mapToDouble(SelectiveRefresh.Device::score).sum();
        return total == 0 ? 0 : picked / total;
    }
}
