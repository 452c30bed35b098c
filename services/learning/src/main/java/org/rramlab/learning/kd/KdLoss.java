package org.rramlab.learning.kd;

import ai.djl.ndarray.NDArray;

/**
 * Distillation loss: {@code alpha * CE(student, label) + (1 - alpha) * T^2 * KL(p_teacher,T || p_student,T)},
 * where {@code p_x,T = softmax(x / T)}. This is Hinton's form, the one PyTorch computes as
 * {@code kl_div(log_softmax(s/T), softmax(t/T))}; T^2 keeps the soft term's gradient scale independent of T.
 */
public final class KdLoss {
    private KdLoss() {}

    /**
     * @param student  logits N x C
     * @param teacher  logits N x C, or null for plain cross-entropy
     * @param labels   one-hot labels N x C
     * @return the mean loss over the batch, a scalar
     */
    public static NDArray compute(NDArray student, NDArray teacher, NDArray labels, double alpha, double temperature) {
        NDArray ce = student.logSoftmax(1).mul(labels).sum(new int[] {1}).neg().mean();
        if (teacher == null || alpha >= 1.0) {
            return ce;
        }
        float t = (float) temperature;
        NDArray logPs = student.div(t).logSoftmax(1);
        NDArray logPt = teacher.div(t).logSoftmax(1);
        NDArray kl = logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {1}).mean();
        return ce.mul((float) alpha).add(kl.mul((float) ((1 - alpha) * temperature * temperature)));
    }
}
