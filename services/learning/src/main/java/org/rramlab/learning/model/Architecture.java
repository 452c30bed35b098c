package org.rramlab.learning.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rramlab.learning.model.LayerSpec.Conv;
import org.rramlab.learning.model.LayerSpec.Dense;
import org.rramlab.learning.model.LayerSpec.Flatten;
import org.rramlab.learning.model.LayerSpec.MaxPool;
import org.rramlab.learning.model.LayerSpec.Relu;

/** The networks the engine builds; each gives its layer list for an input of C x S x S. */
public enum Architecture {
    /** A small MLP for fast tests: flatten, 32 hidden units, classes. */
    MLP,
    /** LeNet-5: conv 5x5x6 (padding 2 on 28x28), pool, conv 5x5x16, pool, FC 120, 84, classes. */
    LENET5,
    /** VGG-style net for CIFAR-10: 2x conv32, pool, 2x conv64, pool, 2x conv128, pool, FC 256, classes. */
    VGG_SMALL;

    public List<LayerSpec> layers(int channels, int size, int classes) {
        List<LayerSpec> l = new ArrayList<>();
        switch (this) {
            case MLP -> {
                l.add(new Flatten());
                l.add(new Dense("fc1", channels * size * size, 32));
                l.add(new Relu());
                l.add(new Dense("fc2", 32, classes));
            }
            case LENET5 -> {
                int pad = size == 28 ? 2 : 0; // the classic 32x32 input, for 28x28 images by padding
                l.add(new Conv("conv1", channels, 6, 5, pad));
                l.add(new Relu());
                l.add(new MaxPool(2));
                l.add(new Conv("conv2", 6, 16, 5, 0));
                l.add(new Relu());
                l.add(new MaxPool(2));
                l.add(new Flatten());
                int s = ((size + 2 * pad - 4) / 2 - 4) / 2;
                l.add(new Dense("fc1", 16 * s * s, 120));
                l.add(new Relu());
                l.add(new Dense("fc2", 120, 84));
                l.add(new Relu());
                l.add(new Dense("fc3", 84, classes));
            }
            case VGG_SMALL -> {
                int in = channels;
                int s = size;
                int block = 1;
                for (int width : new int[] {32, 64, 128}) {
                    l.add(new Conv("conv" + block + "a", in, width, 3, 1));
                    l.add(new Relu());
                    l.add(new Conv("conv" + block + "b", width, width, 3, 1));
                    l.add(new Relu());
                    l.add(new MaxPool(2));
                    in = width;
                    s /= 2;
                    block++;
                }
                l.add(new Flatten());
                l.add(new Dense("fc1", in * s * s, 256));
                l.add(new Relu());
                l.add(new Dense("fc2", 256, classes));
            }
        }
        return l;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Architecture parse(String text) {
        for (Architecture a : values()) {
            if (a.id().equals(text.toLowerCase(Locale.ROOT)) || a.name().equalsIgnoreCase(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + text + "': use mlp, lenet5 or vgg-small");
    }
}
