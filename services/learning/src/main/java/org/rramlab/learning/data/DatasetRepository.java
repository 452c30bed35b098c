package org.rramlab.learning.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds and loads datasets under {@code <data-dir>/datasets/<name>/}, the layout {@code rramlab datasets fetch}
 * writes. IDX files may be plain or end in {@code .gz}.
 */
public final class DatasetRepository {
    private final Path dataDir;

    public DatasetRepository(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** {@code $RRAMLAB_DATA_DIR}, or else {@code ~/.local/share/rramlab}. */
    public static Path defaultDataDir() {
        String env = System.getenv("RRAMLAB_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "rramlab");
    }

    public Path folder(DatasetKind kind) {
        return dataDir.resolve("datasets").resolve(kind.id());
    }

    public DataSplit load(DatasetKind kind) {
        return switch (kind) {
            case MNIST, FASHION_MNIST -> new DataSplit(kind,
                    idx(kind, "train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                    idx(kind, "test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"));
            case CIFAR10 -> new DataSplit(kind,
                    cifar(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                            "data_batch_5.bin"), "train"),
                    cifar(List.of("test_batch.bin"), "test"));
        };
    }

    private Dataset idx(DatasetKind kind, String part, String imagesName, String labelsName) {
        Path images = find(kind, imagesName);
        Path labels = find(kind, labelsName);
        IdxFiles.RawImages raw = IdxFiles.readImages(images);
        int[] y = IdxFiles.readLabels(labels);
        if (y.length != raw.count()) {
            throw new DatasetFormatException(images + " holds " + raw.count() + " images but " + labels + " holds "
                    + y.length + " labels: the two files do not belong together; fetch them again");
        }
        return Normalizer.normalize(kind.id() + "/" + part, kind, raw, y);
    }

    private Path find(DatasetKind kind, String name) {
        Path plain = folder(kind).resolve(name);
        Path gz = folder(kind).resolve(name + ".gz");
        if (Files.isRegularFile(plain) || !Files.isRegularFile(gz)) {
            return plain;
        }
        return gz;
    }

    private Dataset cifar(List<String> names, String part) {
        List<Path> files = names.stream().map(n -> folder(DatasetKind.CIFAR10).resolve(n)).toList();
        int[][] labels = new int[1][];
        IdxFiles.RawImages raw = Cifar10Files.read(files, labels);
        return Normalizer.normalize("cifar10/" + part, DatasetKind.CIFAR10, raw, labels[0]);
    }
}
