package org.rramlab.learning.kd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam over a fixed list of parameters, updating them in place. Its moment estimates are created
 * once, outside any per-batch scope, so they survive from step to step.
 */
public final class Adam implements AutoCloseable {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;
    private final List<NDArray> parameters;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private int t;

    public Adam(List<NDArray> parameters) {
        this.parameters = List.copyOf(parameters);
        for (NDArray p : parameters) {
            NDArray a = p.zerosLike();
            NDArray b = p.zerosLike();
            NDScope.unregister(a, b);
            m.add(a);
            v.add(b);
        }
    }

    /** One update with the gradients accumulated so far, then clears them. Call inside an NDScope. */
    public void step(double learningRate) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        float stepSize = (float) (learningRate * Math.sqrt(c2) / c1);
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray p = parameters.get(i);
                NDArray g = p.getGradient();
                m.get(i).muli(BETA1).addi(g.mul(1 - BETA1));
                v.get(i).muli(BETA2).addi(g.square().muli(1 - BETA2));
                p.subi(m.get(i).div(v.get(i).sqrt().addi(EPS)).muli(stepSize));
                JniUtils.zeroGrad((PtNDArray) p);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Override
    public void close() {
        m.forEach(NDArray::close);
        v.forEach(NDArray::close);
    }
}
