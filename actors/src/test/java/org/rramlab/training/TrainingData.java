package org.rramlab.training;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A tiny MNIST in the real IDX format, so tests need no download: each class is a bright bar at
 * its own place (rows for 0..4, columns for 5..9) over noise; easy to learn, not trivially so.
 */
final class TrainingData {
    private TrainingData() {}

    /** {@code train} training and {@code train / 2} test images under {@code <dataDir>/datasets/mnist/}. */
    static void writeMnist(Path dataDir, int train, long seed) throws IOException {
        Path folder = dataDir.resolve("datasets").resolve("mnist");
        Files.createDirectories(folder);
        SplittableRandom random = new SplittableRandom(seed);
        write(folder, "train", train, random);
        write(folder, "t10k", train / 2, random);
    }

    private static void write(Path folder, String prefix, int n, SplittableRandom random) throws IOException {
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(10);
            labels[i] = (byte) c;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int col = p % 28;
                boolean bar = c < 5 ? row >= 2 + 5 * c && row < 5 + 5 * c : col >= 2 + 5 * (c - 5) && col < 5 + 5 * (c - 5);
                pixels[i * 784 + p] = (byte) Math.min(255, (bar ? 110 : 0) + random.nextInt(120));
            }
        }
        Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), concat(header(0x803, n, 28, 28), pixels));
        Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), concat(header(0x801, n), labels));
    }

    private static byte[] header(int magic, int... dims) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        for (int x : dims) {
            d.writeInt(x);
        }
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
