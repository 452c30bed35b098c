package org.rramlab.learning.osa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Chooses the SRAM positions over all layers for a global budget of {@code k} weights. */
public final class PositionSampler {
    private PositionSampler() {}

    /**
     * @param intended  the weights the mapping meant (software weights), per layer
     * @param measured  the weights read back, per layer
     * @return sorted positions per layer
     */
    public static List<int[]> choose(Placement placement, int k, Importance importance, List<float[]> intended,
                                     List<float[]> measured, long seed) {
        int total = measured.stream().mapToInt(a -> a.length).sum();
        k = Math.max(0, Math.min(k, total));
        double[] key = new double[total];
        SplittableRandom random = new SplittableRandom(seed);
        int g = 0;
        for (int l = 0; l < measured.size(); l++) {
            float[] abs = importance.meanAbsGradient().get(l);
            float[] fisher = importance.fisher().get(l);
            for (int i = 0; i < measured.get(l).length; i++, g++) {
                double u = random.nextDouble();
                key[g] = switch (placement) {
                    case RANDOM -> u;
                    // Efraimidis-Spirakis: the k largest log(u)/w are a weighted sample without replacement
                    case IMPORTANCE -> abs[i] > 0 ? Math.log(u) / abs[i] : Double.NEGATIVE_INFINITY;
                    case MEASURED -> Math.sqrt(fisher[i]) * Math.abs(intended.get(l)[i] - measured.get(l)[i]);
                };
            }
        }
        Integer[] idx = new Integer[total];
        for (int i = 0; i < total; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(key[b], key[a]));
        List<List<Integer>> per = new ArrayList<>();
        int[] offsets = new int[measured.size() + 1];
        for (int l = 0; l < measured.size(); l++) {
            per.add(new ArrayList<>());
            offsets[l + 1] = offsets[l] + measured.get(l).length;
        }
        for (int j = 0; j < k; j++) {
            int gi = idx[j];
            int l = 0;
            while (gi >= offsets[l + 1]) {
                l++;
            }
            per.get(l).add(gi - offsets[l]);
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> p : per) {
            out.add(p.stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        return out;
    }
}
