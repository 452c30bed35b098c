package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.data.Splits;

class SplitsTest {
    @TempDir
    Path dir;

    @Test
    void validationIsTheTailOfTheTrainingFileAndCalibrationNeverTouchesIt() throws IOException {
        TestData.writeMnistLike(dir, 600, false, 3);
        DataSplit data = new DatasetRepository(dir).load(DatasetKind.MNIST);
        Splits s = Splits.of(data);
        assertEquals(100, s.validation().count(), "600 / 6 images kept for validation");
        assertEquals(500, s.fit().count());
        assertEquals(500, s.fitEnd());
        assertEquals(300, s.test().count(), "t10k is the test set, whole");
        int size = data.train().imageSize();
        assertArrayEquals(Arrays.copyOfRange(data.train().images(), 500 * size, 600 * size), s.validation().images());
        assertArrayEquals(Arrays.copyOfRange(data.train().labels(), 500, 600), s.validation().labels());

        Set<String> validationImages = new HashSet<>();
        for (int i = 0; i < s.validation().count(); i++) {
            validationImages.add(key(s.validation(), i));
        }
        for (long seed : new long[] {17, 18, 7 + 17}) {
            Dataset calibration = s.calibration(400, seed);
            assertEquals(400, calibration.count());
            for (int i = 0; i < calibration.count(); i++) {
                assertTrue(!validationImages.contains(key(calibration, i)), "calibration image " + i + " is a validation image");
            }
            for (int idx : s.calibrationIndices(400, seed)) {
                assertTrue(idx >= 0 && idx < s.fitEnd(), "calibration index " + idx + " outside the fitting images");
            }
        }
    }

    @Test
    void fullSizedTrainingFilesKeepFiveThousandImages() {
        assertEquals(5_000, Splits.validationSize(60_000));
        assertEquals(5_000, Splits.validationSize(50_000));
        assertEquals(10, Splits.validationSize(60));
    }

    @Test
    void theSplitIsTheSameOnEveryLoad() throws IOException {
        TestData.writeMnistLike(dir, 120, false, 5);
        Splits a = Splits.of(new DatasetRepository(dir).load(DatasetKind.MNIST));
        Splits b = Splits.of(new DatasetRepository(dir).load(DatasetKind.MNIST));
        assertArrayEquals(a.validation().labels(), b.validation().labels());
        assertArrayEquals(a.calibrationIndices(50, 17), b.calibrationIndices(50, 17));
        assertEquals("training images 100-119", a.validationRange());
    }

    private static String key(Dataset d, int i) {
        int s = d.imageSize();
        return Arrays.toString(Arrays.copyOfRange(d.images(), i * s, (i + 1) * s));
    }
}
