package org.rramlab.learning.osa;

import java.util.List;

/**
 * The trained SRAM branch, a plain value: per layer, the positions (indices into the layer's weights,
 * output-major) and signed fixed-point codes; the added weight at a position is {@code code * scale}.
 * {@code offsets}: per weighted layer, a digital offset per output column added to its bias (empty when the
 * rounds trained none; null, as in events journaled before offsets, reads as empty).
 */
public record SramBranch(int bits, List<Layer> layers, List<float[]> offsets) {
    public record Layer(int layer, int[] positions, int[] codes, double scale) {}

    public SramBranch {
        offsets = offsets == null ? List.of() : List.copyOf(offsets);
    }

    /** A branch without offsets. */
    public SramBranch(int bits, List<Layer> layers) {
        this(bits, layers, List.of());
    }

    /** The offsets of weighted layer {@code layer}, or null when there are none. */
    public float[] offset(int layer) {
        return layer < offsets.size() ? offsets.get(layer) : null;
    }

    public boolean hasOffsets() {
        return !offsets.isEmpty();
    }

    /** The branch's part in weighted layer {@code layer}, or null when it has none there. */
    public Layer layer(int layer) {
        for (Layer l : layers) {
            if (l.layer() == layer) {
                return l;
            }
        }
        return null;
    }

    public long count() {
        return layers.stream().mapToLong(l -> l.positions().length).sum();
    }

    /** The branch added to measured weights: what the network computes with. */
    public List<float[]> addTo(List<float[]> measured) {
        List<float[]> out = new java.util.ArrayList<>();
        for (int l = 0; l < measured.size(); l++) {
            out.add(measured.get(l).clone());
        }
        for (Layer l : layers) {
            float[] w = out.get(l.layer());
            for (int i = 0; i < l.positions().length; i++) {
                w[l.positions()[i]] += (float) (l.codes()[i] * l.scale());
            }
        }
        return out;
    }

    /** Per-weight values (e.g. importance) with 0 at the branch's positions: what the SRAM corrects needs no refresh. */
    public List<float[]> zeroAtPositions(List<float[]> values) {
        List<float[]> out = new java.util.ArrayList<>();
        for (float[] v : values) {
            out.add(v.clone());
        }
        for (Layer l : layers) {
            for (int p : l.positions()) {
                out.get(l.layer())[p] = 0;
            }
        }
        return out;
    }
}
