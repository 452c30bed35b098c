package org.rramlab.learning.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Conductances read off the arrays for a {@link WeightMapping}, per layer in the layer's weight order:
 * {@code gPlus[i]} and {@code gMinus[i]} in siemens for weight i.
 */
public record MeasuredConductances(List<float[]> gPlus, List<float[]> gMinus) {

    /** Effective weights: w = (G+ - G-) / (Gmax - Gmin) * w_max, per layer. */
    public List<float[]> effectiveWeights(WeightMapping mapping) {
        List<float[]> out = new ArrayList<>();
        double span = mapping.gMaxSiemens() - mapping.gMinSiemens();
        for (int l = 0; l < mapping.layers().size(); l++) {
            double scale = mapping.layers().get(l).wMax() / span;
            float[] p = gPlus.get(l);
            float[] m = gMinus.get(l);
            float[] w = new float[p.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((p[i] - m[i]) * scale);
            }
            out.add(w);
        }
        return out;
    }
}
