package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.rramlab.learning.kd.KdLoss;
import org.rramlab.learning.model.Torch;

class KdLossTest {
    @Test
    void equalsAHandComputation() {
        float[] s = {1f, 2f, 0.5f, -1f, 0f, 3f};
        float[] t = {2f, 0f, 1f, 0f, 1f, 2f};
        int[] label = {1, 2};
        double alpha = 0.3;
        double temp = 2.0;
        // by hand, in double precision
        double ce = 0;
        double kl = 0;
        for (int i = 0; i < 2; i++) {
            double[] ls = logSoftmax(s, i, 1);
            ce += -ls[label[i]];
            double[] lsT = logSoftmax(s, i, temp);
            double[] ltT = logSoftmax(t, i, temp);
            for (int c = 0; c < 3; c++) {
                kl += Math.exp(ltT[c]) * (ltT[c] - lsT[c]);
            }
        }
        double expected = alpha * ce / 2 + (1 - alpha) * temp * temp * kl / 2;
        try (NDManager m = Torch.newManager()) {
            float[] oneHot = {0, 1, 0, 0, 0, 1};
            float got = KdLoss.compute(m.create(s, new Shape(2, 3)), m.create(t, new Shape(2, 3)),
                    m.create(oneHot, new Shape(2, 3)), alpha, temp).getFloat();
            assertEquals(expected, got, 1e-5);
            float plain = KdLoss.compute(m.create(s, new Shape(2, 3)), null, m.create(oneHot, new Shape(2, 3)), 1, temp)
                    .getFloat();
            assertEquals(ce / 2, plain, 1e-5);
        }
    }

    private static double[] logSoftmax(float[] x, int row, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
            max = Math.max(max, x[row * 3 + c] / temp);
        }
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += Math.exp(x[row * 3 + c] / temp - max);
        }
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            out[c] = x[row * 3 + c] / temp - max - Math.log(sum);
        }
        return out;
    }
}
