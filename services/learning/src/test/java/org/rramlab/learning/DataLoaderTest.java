package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.data.Cifar10Files;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.DatasetFormatException;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.data.IdxFiles;

class DataLoaderTest {
    @TempDir
    Path dir;

    @Test
    void plainAndGzipIdxGiveTheSameNormalizedImages() throws IOException {
        Path plainDir = dir.resolve("plain");
        Path gzDir = dir.resolve("gz");
        TestData.writeMnistLike(plainDir, 40, false, 5);
        TestData.writeMnistLike(gzDir, 40, true, 5);
        DataSplit a = new DatasetRepository(plainDir).load(DatasetKind.MNIST);
        DataSplit b = new DatasetRepository(gzDir).load(DatasetKind.MNIST);
        assertEquals(40, a.train().count());
        assertEquals(20, a.test().count());
        assertArrayEquals(a.train().images(), b.train().images());
        assertArrayEquals(a.train().labels(), b.train().labels());
        // normalized with MNIST's mean/std: a pixel of 0 would be -0.4242
        float min = Float.MAX_VALUE;
        for (float v : a.train().images()) {
            min = Math.min(min, v);
        }
        assertTrue(min > -0.43f && min < 0.0f, "normalized minimum " + min);
    }

    @Test
    void shufflingDependsOnlyOnTheSeed() throws IOException {
        TestData.writeMnistLike(dir, 50, false, 1);
        var train = new DatasetRepository(dir).load(DatasetKind.MNIST).train();
        assertArrayEquals(train.shuffledOrder(3), train.shuffledOrder(3));
        assertFalse(Arrays.equals(train.shuffledOrder(3), train.shuffledOrder(4)));
        int[] sorted = train.shuffledOrder(3).clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void truncatedImageFileIsRejectedWithItsName() throws IOException {
        Path folder = TestData.writeMnistLike(dir, 20, false, 1);
        Path images = folder.resolve("train-images-idx3-ubyte");
        byte[] all = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(all, all.length - 100));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> new DatasetRepository(dir).load(DatasetKind.MNIST));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void labelFileGivenAsImagesIsRejectedWithItsName() throws IOException {
        Path folder = TestData.writeMnistLike(dir, 20, false, 1);
        Path images = folder.resolve("train-images-idx3-ubyte");
        Files.copy(folder.resolve("train-labels-idx1-ubyte"), images, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxFiles.readImages(images));
        assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void missingFileSaysHowToFetch() {
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> new DatasetRepository(dir).load(DatasetKind.FASHION_MNIST));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("rramlab datasets fetch"), e.getMessage());
    }

    @Test
    void cifarBatchOfTheWrongSizeIsRejectedWithItsName() throws IOException {
        Path bad = dir.resolve("data_batch_1.bin");
        Files.write(bad, new byte[Cifar10Files.RECORD * 2 + 7]);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar10Files.read(List.of(bad), new int[1][]));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void cifarBatchIsRead() throws IOException {
        byte[] records = new byte[Cifar10Files.RECORD * 3];
        for (int r = 0; r < 3; r++) {
            records[r * Cifar10Files.RECORD] = (byte) (r + 4);
            records[r * Cifar10Files.RECORD + 1] = (byte) 255;
        }
        Path f = dir.resolve("test_batch.bin");
        Files.write(f, records);
        int[][] labels = new int[1][];
        IdxFiles.RawImages raw = Cifar10Files.read(List.of(f), labels);
        assertArrayEquals(new int[] {4, 5, 6}, labels[0]);
        assertEquals(3, raw.count());
        assertEquals((byte) 255, raw.pixels()[3072]);
    }
}
