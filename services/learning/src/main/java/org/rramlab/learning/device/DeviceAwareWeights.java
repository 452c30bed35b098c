package org.rramlab.learning.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.rramlab.learning.model.WeightSource;

/**
 * Device-aware forward: every call draws what the arrays would hold if the master weight were
 * mapped now. Per layer, w_max = max|w|; |w| / w_max goes to the nearest of the levels on one device
 * of a differential pair and the other device sits at Gmin; each device then gets lognormal
 * variation G * exp(N(0, sigma)) and, independently, a stuck-at-Gmax or stuck-at-Gmin fault.
 * The effective weight (G+ - G-) / (Gmax - Gmin) * w_max goes forward; the gradient passes
 * straight through to the master weight (straight-through estimator).
 */
public final class DeviceAwareWeights implements WeightSource {
    private final DeviceModel model;

    public DeviceAwareWeights(DeviceModel model) {
        this.model = model;
    }

    @Override
    public NDArray weight(int layer, NDArray master) {
        return master.add(sample(master.stopGradient()).sub(master.stopGradient()).stopGradient());
    }

    /** One draw of the mapped weight for a (detached) weight tensor. */
    public NDArray sample(NDArray w) {
        float top = model.levels() - 1;
        float gMin = (float) model.gMinRelative();
        float step = (1f - gMin) / top;
        NDArray wMax = w.abs().max().maximum(1e-12f);
        NDArray sign = w.gte(0f).toType(DataType.FLOAT32, false).mul(2f).sub(1f);
        NDArray level = w.abs().div(wMax).mul(top).round().clip(0f, top);
        NDArray active = device(level.mul(step).add(gMin));
        NDArray other = device(w.zerosLike().add(gMin));
        return active.sub(other).div(1f - gMin).mul(wMax).mul(sign);
    }

    private NDArray device(NDArray target) {
        NDArray g = target;
        if (model.variationSigma() > 0) {
            g = g.mul(target.getManager().randomNormal(0f, (float) model.variationSigma(), target.getShape(),
                    DataType.FLOAT32).exp());
        }
        double ph = model.stuckAtHighFraction();
        double pl = model.stuckAtLowFraction();
        if (ph + pl > 0) {
            NDArray u = target.getManager().randomUniform(0f, 1f, target.getShape());
            NDArray high = u.lt((float) ph).toType(DataType.FLOAT32, false);
            NDArray low = u.gte((float) ph).logicalAnd(u.lt((float) (ph + pl))).toType(DataType.FLOAT32, false);
            g = g.mul(high.add(low).neg().add(1f)).add(high).add(low.mul((float) model.gMinRelative()));
        }
        return g;
    }
}
