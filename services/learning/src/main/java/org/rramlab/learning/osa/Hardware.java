package org.rramlab.learning.osa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.model.ColumnReadout;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.hil.ColumnAdc;
import org.rramlab.learning.hil.MeasuredWeights;
import org.rramlab.learning.model.Torch;

/**
 * Accuracy of the hardware as built: the RRAM weights as read, through the column ADCs (or exactly when
 * {@code adc} is null), plus the SRAM corrections computed digitally and added behind the ADCs.
 */
public final class Hardware {
    private Hardware() {}

    public static double accuracy(Network net, Dataset data, List<float[]> rram, SramBranch branch, ColumnAdc adc) {
        if (adc == null) {
            try (NDManager manager = Torch.newManager();
                 MeasuredWeights source = new MeasuredWeights(net, branch == null ? rram : branch.addTo(rram))) {
                return Evaluator.accuracy(net, data, source, null, Offsets.of(branch, manager));
            }
        }
        try (NDManager manager = Torch.newManager();
             MeasuredWeights source = new MeasuredWeights(net, rram)) {
            List<NDArray> sram = sramWeights(net, branch, manager);
            return Evaluator.accuracy(net, data, source, readout(adc, sram), Offsets.of(branch, manager));
        }
    }

    /** ADC over the RRAM part, exact digital MAC over the SRAM part (null entries: no corrections there). */
    public static ColumnReadout readout(ColumnAdc adc, List<NDArray> sram) {
        return (layer, weight, mac) -> {
            NDArray y = adc.read(layer, weight, mac);
            NDArray s = sram.get(layer);
            return s == null ? y : y.add(mac.apply(s));
        };
    }

    private static List<NDArray> sramWeights(Network net, SramBranch branch, NDManager manager) {
        List<NDArray> out = new ArrayList<>();
        for (int l = 0; l < net.weightedLayers().size(); l++) {
            SramBranch.Layer layer = branch == null ? null : branch.layer(l);
            if (layer == null) {
                out.add(null);
                continue;
            }
            var spec = net.weightedLayers().get(l);
            float[] w = new float[spec.fanIn() * spec.fanOut()];
            for (int i = 0; i < layer.positions().length; i++) {
                w[layer.positions()[i]] = (float) (layer.codes()[i] * layer.scale());
            }
            out.add(manager.create(w, new Shape(spec.weightShape())));
        }
        return out;
    }
}
