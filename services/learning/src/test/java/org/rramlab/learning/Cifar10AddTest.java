package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.datasets.DatasetException;
import org.rramlab.datasets.DatasetStore;
import org.rramlab.datasets.MnistPackage;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.kd.TrainingEvent;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;

/**
 * {@code datasets add cifar10}: the official binary archive's layout (a gzip tar of cifar-10-batches-bin/ with
 * five training batches and a test batch of 1 label byte + 3,072 channel-planar pixels per record), made here
 * with fewer records; the loader and the VGG-style net on what it installs.
 */
class Cifar10AddTest {
    private static final int RECORDS = 60;
    private static final List<String> BATCHES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void theArchiveIsCheckedUnpackedLoadedAndLearnedFrom() throws Exception {
        Path archive = dir.resolve("download").resolve(DatasetStore.CIFAR10_ARCHIVE);
        Files.createDirectories(archive.getParent());
        byte[][] batches = new byte[BATCHES.size()][];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = batch(RECORDS, 100 + b);
        }
        writeArchive(archive, batches, true);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(archive)));

        Path data = dir.resolve("data");
        DatasetStore wrongSum = new DatasetStore(data, MnistPackage.NPM, DatasetStore.CIFAR10_ARCHIVE_MD5, RECORDS);
        DatasetException e = assertThrows(DatasetException.class, () -> wrongSum.addCifar10(archive, p -> { }));
        assertTrue(e.getMessage().contains(DatasetStore.CIFAR10_ARCHIVE_MD5) && e.getMessage().contains(md5),
                e.getMessage());
        assertFalse(Files.exists(data.resolve("datasets/cifar10/test_batch.bin")), "nothing installed on a bad sum");

        DatasetStore store = new DatasetStore(data, MnistPackage.NPM, md5, RECORDS);
        assertTrue(store.addCifar10(archive.getParent(), p -> { }).intact(), "the directory holding the archive");

        DataSplit split = new DatasetRepository(data).load(DatasetKind.CIFAR10);
        assertEquals(5 * RECORDS, split.train().count());
        assertEquals(RECORDS, split.test().count());
        assertEquals(3, split.test().channels());
        assertEquals(32, split.test().height());
        int[] labels = new int[RECORDS];
        for (int r = 0; r < RECORDS; r++) {
            labels[r] = batches[5][r * 3073];
        }
        assertArrayEquals(labels, split.test().labels(), "labels read in record order");

        // the VGG-style net trains on what was installed: its loss falls (a bright square per class)
        List<Double> losses = new java.util.ArrayList<>();
        try (Network net = Network.create(Architecture.VGG_SMALL, 3, 32, 10, 1)) {
            Trainer.train("vgg", net, WeightSource.MASTER, split.train().head(200), null,
                    TrainConfig.plain(3, 20, 2e-3, 1), split.test(), WeightSource.MASTER, ev -> {
                        if (ev instanceof TrainingEvent.EpochFinished f) {
                            losses.add(f.loss());
                            System.out.printf("vgg-small on CIFAR-format images: epoch %d loss %.4f, %.1f images/s%n",
                                    f.epoch(), f.loss(), f.imagesPerSecond());
                        }
                    });
            double acc = Evaluator.accuracy(net, split.test(), WeightSource.MASTER);
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
        }
        assertEquals(3, losses.size());
        assertTrue(losses.get(2) < losses.get(0), "the loss falls over three epochs: " + losses);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void extractedFilesAreTakenAndWhatIsMissingIsNamed() throws Exception {
        Path extracted = Files.createDirectories(dir.resolve("dl").resolve(DatasetStore.CIFAR10_FOLDER));
        for (int b = 0; b < BATCHES.size() - 1; b++) {
            Files.write(extracted.resolve(BATCHES.get(b)), batch(RECORDS, b));
        }
        DatasetStore store = new DatasetStore(dir.resolve("data"), MnistPackage.NPM, "0", RECORDS);
        DatasetException e = assertThrows(DatasetException.class, () -> store.addCifar10(dir.resolve("dl"), p -> { }));
        assertTrue(e.getMessage().contains("test_batch.bin") && !e.getMessage().contains("lacks data_batch"),
                e.getMessage());
        Files.write(extracted.resolve("test_batch.bin"), batch(RECORDS, 9));
        assertTrue(store.addCifar10(dir.resolve("dl"), p -> { }).intact());
        Files.write(extracted.resolve("test_batch.bin"), batch(RECORDS - 1, 9));
        DatasetStore fresh = new DatasetStore(dir.resolve("data2"), MnistPackage.NPM, "0", RECORDS);
        DatasetException size = assertThrows(DatasetException.class, () -> fresh.addCifar10(extracted, p -> { }));
        assertTrue(size.getMessage().contains("test_batch.bin"), size.getMessage());
    }

    /** Records of the official format: label c, then a bright 8 x 8 square at a place of its own per class. */
    static byte[] batch(int records, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] out = new byte[records * 3073];
        for (int r = 0; r < records; r++) {
            int c = random.nextInt(10);
            int off = r * 3073;
            out[off] = (byte) c;
            int y0 = (c / 5) * 16 + 4;
            int x0 = (c % 5) * 6;
            for (int ch = 0; ch < 3; ch++) {
                for (int p = 0; p < 1024; p++) {
                    int y = p / 32;
                    int x = p % 32;
                    boolean in = y >= y0 && y < y0 + 8 && x >= x0 && x < x0 + 6;
                    out[off + 1 + ch * 1024 + p] = (byte) ((in ? 180 : 0) + random.nextInt(60));
                }
            }
        }
        return out;
    }

    /** A gzip tar (ustar headers) of cifar-10-batches-bin/ with the batches and the class names file. */
    static void writeArchive(Path archive, byte[][] batches, boolean withMeta) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            entry(out, DatasetStore.CIFAR10_FOLDER + "/", new byte[0], '5');
            if (withMeta) {
                entry(out, DatasetStore.CIFAR10_FOLDER + "/batches.meta.txt",
                        "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n"
                                .getBytes(StandardCharsets.US_ASCII), '0');
            }
            for (int b = 0; b < batches.length; b++) {
                entry(out, DatasetStore.CIFAR10_FOLDER + "/" + BATCHES.get(b), batches[b], '0');
            }
            out.write(new byte[1024]);
        }
    }

    private static void entry(OutputStream out, String name, byte[] body, char type) throws Exception {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", body.length));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.write(h);
        out.write(body);
        out.write(new byte[(512 - body.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
