package org.rramlab.learning;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small generated datasets in the real file formats: each class is a bright bar at its own place, plus noise. */
public final class TestData {
    private TestData() {}

    /** Writes train (n images) and test (n / 2 images) IDX files under {@code dataDir/datasets/mnist/}. */
    public static Path writeMnistLike(Path dataDir, int n, boolean gzip, long seed) throws IOException {
        return writeMnistLike(dataDir, n, gzip, seed, 110);
    }

    /**
     * The same with bars {@code bar} grey levels above the noise (0..119): 110 is easy (a small MLP
     * classifies every test image), about 10 leaves a margin small enough for device errors to show.
     */
    public static Path writeMnistLike(Path dataDir, int n, boolean gzip, long seed, int bar) throws IOException {
        Path folder = dataDir.resolve("datasets").resolve("mnist");
        Files.createDirectories(folder);
        SplittableRandom random = new SplittableRandom(seed);
        String suffix = gzip ? ".gz" : "";
        writeSet(folder, "train", n, random, suffix, bar);
        writeSet(folder, "t10k", n / 2, random, suffix, bar);
        return folder;
    }

    private static void writeSet(Path folder, String prefix, int n, SplittableRandom random, String suffix, int bar)
            throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(10);
            labels[i] = (byte) c;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int col = p % 28;
                boolean inBar = c < 5 ? (row >= 2 + 5 * c && row < 5 + 5 * c) : (col >= 2 + 5 * (c - 5) && col < 5 + 5 * (c - 5));
                int v = (inBar ? bar : 0) + random.nextInt(120);
                pixels[i * 784 + p] = (byte) Math.min(255, v);
            }
        }
        write(folder.resolve(prefix + "-images-idx3-ubyte" + suffix), header(0x803, n, 28, 28), pixels);
        write(folder.resolve(prefix + "-labels-idx1-ubyte" + suffix), header(0x801, n), labels);
    }

    public static byte[] header(int magic, int... dims) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        for (int x : dims) {
            d.writeInt(x);
        }
        return b.toByteArray();
    }

    public static void write(Path file, byte[] header, byte[] body) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
            out.write(header);
            out.write(body);
        }
    }
}
