package org.rramlab.learning.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reader of the CIFAR-10 binary version: records of 1 label byte and 3 x 32 x 32 pixel bytes. */
public final class Cifar10Files {
    public static final int RECORD = 1 + 3 * 32 * 32;

    private Cifar10Files() {}

    /** Reads and concatenates the given batch files: labels and channel-planar pixels (0..255). */
    public static IdxFiles.RawImages read(List<Path> files, int[][] labelsOut) {
        byte[][] contents = new byte[files.size()][];
        int total = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            if (!Files.isRegularFile(file)) {
                throw new DatasetFormatException("dataset file " + file + " is missing: run `rramlab datasets add cifar10 --from DIR`"
                        + " or place the CIFAR-10 binary version (data_batch_1.bin .. test_batch.bin) there");
            }
            try {
                contents[f] = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new DatasetFormatException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (contents[f].length == 0 || contents[f].length % RECORD != 0) {
                throw new DatasetFormatException(file + " is not a CIFAR-10 binary batch: its size " + contents[f].length
                        + " bytes is not a multiple of " + RECORD + " (truncated or the wrong file)");
            }
            total += contents[f].length / RECORD;
        }
        byte[] pixels = new byte[total * (RECORD - 1)];
        int[] labels = new int[total];
        int n = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] c = contents[f];
            for (int off = 0; off < c.length; off += RECORD, n++) {
                int label = c[off] & 0xff;
                if (label > 9) {
                    throw new DatasetFormatException(files.get(f) + ": record " + (off / RECORD) + " has label " + label
                            + ", CIFAR-10 labels are 0..9 (is this the CIFAR-100 or python version?)");
                }
                labels[n] = label;
                System.arraycopy(c, off + 1, pixels, n * (RECORD - 1), RECORD - 1);
            }
        }
        labelsOut[0] = labels;
        return new IdxFiles.RawImages(total, 32, 32, pixels);
    }
}
