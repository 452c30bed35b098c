package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.TrainResult;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.kd.TrainingEvent;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.WeightSource;

class TrainingTest {
    @TempDir
    Path dir;

    @Test
    void distilledDeviceAwareStudentLearnsAndReportsProgress() throws IOException {
        DataSplit data = Fixtures.data(dir, 400);
        try (Network teacher = Fixtures.trainedMlp(data, 5);
             Network student = Network.create(Architecture.MLP, 1, 28, 10, 8)) {
            float[] logits = Evaluator.logits(teacher, data.train(), WeightSource.MASTER);
            DeviceAwareWeights device = new DeviceAwareWeights(DeviceModel.of(Fixtures.PRESET));
            List<TrainingEvent> events = new ArrayList<>();
            // when each event arrived, on the test's clock: the reported times must fit between them
            List<Long> arrived = new ArrayList<>();
            long called = System.nanoTime();
            TrainResult r = Trainer.train("student", student, device, data.train(), logits,
                    TrainConfig.distill(3, 32, 3e-3, 2, 0.5), data.test(), device, e -> {
                        events.add(e);
                        arrived.add(System.nanoTime());
                    });
            double wall = (System.nanoTime() - called) / 1e9;
            assertInstanceOf(TrainingEvent.Started.class, events.get(0));
            assertInstanceOf(TrainingEvent.Finished.class, events.get(events.size() - 1));
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) instanceof TrainingEvent.EpochFinished) {
                    at.add(i);
                }
            }
            List<TrainingEvent.EpochFinished> epochs = at.stream().map(i -> (TrainingEvent.EpochFinished) events.get(i))
                    .toList();
            assertEquals(List.of(1, 2, 3), epochs.stream().map(TrainingEvent.EpochFinished::epoch).toList());
            int images = data.train().count();
            double summed = 0;
            for (int k = 0; k < at.size(); k++) {
                TrainingEvent.EpochFinished e = epochs.get(k);
                // an epoch's time lies inside the interval since the event before it (the epoch before, or the
                // start): counted from the start of training, or in other units, it would not
                double since = (arrived.get(at.get(k)) - arrived.get(k == 0 ? 0 : at.get(k - 1))) / 1e9;
                assertTrue(e.seconds() > 0 && e.seconds() <= since, "epoch " + e.epoch() + " took " + e.seconds()
                        + " s by its report, but only " + since + " s passed since the event before it");
                // and the rate is the training images over that time (not the batches, not all epochs' images)
                assertTrue(e.imagesPerSecond() >= images / since, "epoch " + e.epoch() + ": " + e.imagesPerSecond()
                        + " images/s, yet " + images + " images passed in at most " + since + " s");
                assertTrue(e.imagesPerSecond() <= images / e.seconds() * (1 + 1e-9), e.toString());
                summed += e.seconds();
            }
            assertTrue(summed <= wall, "epochs " + summed + " s within the call's " + wall + " s");
            double finished = ((TrainingEvent.Finished) events.get(events.size() - 1)).seconds();
            assertTrue(finished >= summed && finished <= wall, "total " + finished + " s between " + summed + " and "
                    + wall);
            assertEquals(13, ((TrainingEvent.Started) events.get(0)).batchesPerEpoch(), "400 images in batches of 32");
            assertEquals(r.testAccuracy(), epochs.get(2).testAccuracy(), 0.0, "the result is the last epoch's");
            System.out.println("device-aware student: test accuracy " + r.testAccuracy() + ", epochs " + epochs);
            // learns: above chance (10 classes, 0.1) by more than 4 binomial standard errors of the test set
            int n = data.test().count();
            double chance = 0.1;
            double bar = chance + 4 * Math.sqrt(chance * (1 - chance) / n);
            assertTrue(r.testAccuracy() > bar, "device-aware student test accuracy " + r.testAccuracy()
                    + " is not above chance: " + bar + " on " + n + " images");
            assertTrue(epochs.get(2).loss() < epochs.get(0).loss(), "loss should fall");
        }
    }

    @Test
    void modelsSaveAndLoadWithMetadata() throws IOException {
        ModelStore store = new ModelStore(dir.resolve("models"));
        try (Network net = Network.create(Architecture.LENET5, 1, 28, 10, 4)) {
            store.save("m", net, new ModelMetadata("lenet5", 1, 28, 10, "mnist", 0.5, Map.of("epochs", 1), "now"));
            try (Network back = store.load("m")) {
                for (int l = 0; l < 5; l++) {
                    assertArrayEquals(net.weightValues(l), back.weightValues(l));
                    assertArrayEquals(net.biasValues(l), back.biasValues(l));
                }
            }
            assertEquals("mnist", store.metadata("m").dataset());
            byte[] all = Files.readAllBytes(store.paramsFile("m"));
            Files.write(store.paramsFile("m"), java.util.Arrays.copyOf(all, all.length / 2));
            IOException e = assertThrows(IOException.class, () -> store.load("m"));
            assertTrue(e.getMessage().contains("m.params") && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void twoSavesOfTheSameModelAtOnceBothSucceedAndLeaveOneWholeModel() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("models"));
        ModelMetadata meta = new ModelMetadata("mlp", 1, 28, 10, "mnist", 0.5, Map.of("epochs", 1), "now");
        try (Network a = Network.create(Architecture.MLP, 1, 28, 10, 1);
             Network b = Network.create(Architecture.MLP, 1, 28, 10, 2)) {
            float[] wa = a.weightValues(0);
            float[] wb = b.weightValues(0);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                // two benchmarks that both trained the model save it under one name; with one shared
                // temporary file the second move found nothing to move
                for (int round = 0; round < 20; round++) {
                    var start = new java.util.concurrent.CountDownLatch(1);
                    var first = pool.submit(() -> { start.await(); store.save("shared", a, meta); return null; });
                    var second = pool.submit(() -> { start.await(); store.save("shared", b, meta); return null; });
                    start.countDown();
                    first.get();
                    second.get();
                    try (Network back = store.load("shared")) {
                        float[] w = back.weightValues(0);
                        assertTrue(java.util.Arrays.equals(w, wa) || java.util.Arrays.equals(w, wb),
                                "one of the two models, whole");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            try (var files = Files.list(dir.resolve("models"))) {
                assertEquals(List.of("shared.json", "shared.params"), files.map(f -> f.getFileName().toString())
                        .sorted().toList(), "no temporary file left behind");
            }
            // a save that fails (metadata Jackson cannot write) keeps the model saved before and leaves no temporary file
            List<float[]> saved = new ArrayList<>();
            try (Network back = store.load("shared")) {
                for (int l = 0; l < back.weightedLayers().size(); l++) {
                    saved.add(back.weightValues(l));
                    saved.add(back.biasValues(l));
                }
            }
            ModelMetadata unwritable = new ModelMetadata("mlp", 1, 28, 10, "mnist", 0.5, Map.of("x", new Object()), "now");
            try (Network other = Network.create(Architecture.MLP, 1, 28, 10, 3)) {
                assertThrows(IOException.class, () -> store.save("shared", other, unwritable));
            }
            try (var files = Files.list(dir.resolve("models"))) {
                assertEquals(List.of("shared.json", "shared.params"), files.map(f -> f.getFileName().toString())
                        .sorted().toList(), "no temporary file left behind by the failed save");
            }
            try (Network back = store.load("shared")) {
                for (int l = 0; l < back.weightedLayers().size(); l++) {
                    assertArrayEquals(saved.get(2 * l), back.weightValues(l), "the model saved before, layer " + l);
                    assertArrayEquals(saved.get(2 * l + 1), back.biasValues(l), "the model saved before, bias " + l);
                }
                assertEquals("mlp", store.metadata("shared").architecture());
            }
        }
    }

    @Test
    void lenetAndVggGiveOneLogitPerClass() {
        int[][] shapes = {{1, 28}, {3, 32}};
        Architecture[] archs = {Architecture.LENET5, Architecture.VGG_SMALL};
        for (int a = 0; a < archs.length; a++) {
            int c = shapes[a][0];
            int size = shapes[a][1];
            try (Network net = Network.create(archs[a], c, size, 10, 1)) {
                var data = new org.rramlab.learning.data.Dataset("x", new float[2 * c * size * size], new int[2], c,
                        size, size, 10);
                float[] logits = Evaluator.logits(net, data, WeightSource.MASTER);
                assertEquals(20, logits.length, archs[a].id());
            }
        }
        try (Network lenet = Network.create(Architecture.LENET5, 1, 28, 10, 1)) {
            assertEquals(150 + 2400 + 48000 + 10080 + 840, lenet.weightCount());
        }
    }
}
