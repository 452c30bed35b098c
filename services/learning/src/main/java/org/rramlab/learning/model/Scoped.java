package org.rramlab.learning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Keeps a forward pass's native memory to about one layer's tensors. An {@code NDScope} closes what was created in
 * it only when it ends, so one scope per batch held every intermediate of the pass (over 100 activations for the
 * VGG-style net read through column ADCs, 10 GB at 1,000 images). Autograd keeps what a backward pass needs by
 * reference of its own, so closing a Java handle early never loses a gradient.
 */
public final class Scoped {
    private Scoped() {}

    /**
     * Computes one step (a layer, an ADC tile) in a scope of its own: its intermediates are closed when it returns,
     * its result goes to the caller's scope. The step must return an array it created.
     */
    public static NDArray run(Supplier<NDArray> step) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            out = step.get();
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }

    /** Closes an array of the caller's scope now rather than when the scope ends. */
    public static void drop(NDArray array) {
        NDScope.unregister(array);
        array.close();
    }

    /** {@code f(a)}, with {@code a} closed once it is used: a chain of operations holds two tensors, not all of them. */
    public static NDArray then(NDArray a, UnaryOperator<NDArray> f) {
        NDArray next = f.apply(a);
        drop(a);
        return next;
    }
}
