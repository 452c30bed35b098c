package org.rramlab.learning.model;

/** One layer of a feed-forward network. Conv and Dense layers hold weights; the rest do not. */
public sealed interface LayerSpec {

    /** A layer with a weight matrix that maps onto crossbars: fan-in rows by fan-out columns. */
    sealed interface Weighted extends LayerSpec permits Conv, Dense {
        String name();

        /** Inputs per output: rows of the crossbar. */
        int fanIn();

        /** Outputs: weight pairs along the crossbar's columns. */
        int fanOut();

        long[] weightShape();
    }

    /** 2-D convolution, square kernel, stride 1. */
    record Conv(String name, int in, int out, int kernel, int padding) implements Weighted {
        public int fanIn() {
            return in * kernel * kernel;
        }

        public int fanOut() {
            return out;
        }

        public long[] weightShape() {
            return new long[] {out, in, kernel, kernel};
        }
    }

    /** Fully connected layer. */
    record Dense(String name, int in, int out) implements Weighted {
        public int fanIn() {
            return in;
        }

        public int fanOut() {
            return out;
        }

        public long[] weightShape() {
            return new long[] {out, in};
        }
    }

    /** Max pooling, window and stride {@code size}. */
    record MaxPool(int size) implements LayerSpec {}

    record Relu() implements LayerSpec {}

    record Flatten() implements LayerSpec {}
}
