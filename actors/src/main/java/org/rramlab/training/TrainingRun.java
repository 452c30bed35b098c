package org.rramlab.training;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetFormatException;
import org.rramlab.learning.data.DatasetRepository;
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

/**
 * One job's tensor work, done by the calling thread (a thread of the training dispatcher): load
 * the data, train, save the model. Interrupting the thread stops it with a CancellationException;
 * a failure the operator can fix is a {@link JobFailure} whose message says how.
 */
final class TrainingRun {
    /** @param accuracy test accuracy of the saved model, in software (master weights) */
    record Result(String modelId, double accuracy, double seconds) {}

    /** A failure with a message for the operator. */
    static final class JobFailure extends RuntimeException {
        JobFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private TrainingRun() {}

    static Result run(String jobId, TrainingJobSpec spec, DeviceChoice device, Path dataDir,
                      Consumer<TrainingEvent> listener) {
        long started = System.nanoTime();
        ModelStore store = new ModelStore(dataDir.resolve("models"));
        if (spec.distills()) {
            checkTeacher(store, spec); // before the data: the cheaper check fails first
        }
        DataSplit data = load(spec, dataDir);
        Dataset train = spec.trainImages() != null && spec.trainImages() < data.train().count()
                ? data.train().head(spec.trainImages()) : data.train();
        Dataset test = data.test();
        TrainConfig config = new TrainConfig(spec.epochsOrDefault(), spec.batchSizeOrDefault(),
                spec.learningRateOrDefault(), spec.seedOrDefault(), spec.alphaOrDefault(), spec.temperatureOrDefault());
        Map<String, Object> training = new LinkedHashMap<>(config.asMap());
        training.put("kind", spec.kind());
        training.put("job", jobId);
        training.put("train_images", train.count());
        checkCancelled();
        try {
            if (!spec.distills()) {
                Architecture arch = spec.architectureOrNull();
                try (Network net = Network.create(arch, train.channels(), train.height(), train.classes(),
                        spec.seedOrDefault())) {
                    Trainer.train("teacher", net, WeightSource.MASTER, train, null, config, test, WeightSource.MASTER,
                            listener);
                    return save(store, spec, net, test, training, started);
                }
            }
            try (Network teacher = teacher(store, spec); Network student = teacher.copy()) {
                // the teacher is frozen and the data not augmented: its logits are the same every epoch
                float[] logits = Evaluator.logits(teacher, train, WeightSource.MASTER);
                checkCancelled();
                DeviceAwareWeights weights = new DeviceAwareWeights(DeviceModel.of(device.preset()),
                        spec.seedOrDefault(), 0, spec.wMaxQuantileOrDefault());
                TrainResult r = Trainer.train("student", student, weights, train, logits, config, test, weights,
                        listener);
                training.put("teacher", spec.teacher());
                training.put("initialized_from", "teacher");
                training.put("device", device.description());
                training.put("device_preset", device.preset().name());
                training.put("variation_sigma", device.preset().variationSigma());
                training.put("stuck_at_high_fraction", device.preset().stuckAtHighFraction());
                training.put("stuck_at_low_fraction", device.preset().stuckAtLowFraction());
                training.put("device_aware_test_accuracy", r.testAccuracy());
                training.put("w_max_quantile", spec.wMaxQuantileOrDefault());
                return save(store, spec, student, test, training, started);
            }
        } catch (ClosedByInterruptException e) {
            throw new CancellationException("cancelled while saving the model");
        } catch (IOException e) {
            throw new JobFailure("cannot save model '" + spec.model() + "' in " + store.paramsFile(spec.model())
                    .getParent() + ": " + e.getMessage() + "; check that the data directory is writable", e);
        }
    }

    private static DataSplit load(TrainingJobSpec spec, Path dataDir) {
        try {
            return new DatasetRepository(dataDir).load(spec.datasetKind());
        } catch (DatasetFormatException e) {
            String hint = e.getMessage().contains("datasets fetch") ? ""
                    : "; fetch it again with `./rramlab datasets fetch` (`./rramlab datasets list` shows what is there)";
            throw new JobFailure("dataset " + spec.dataset() + " cannot be loaded: " + e.getMessage() + hint, e);
        }
    }

    /** The teacher exists and fits the student (it may have been queued when the student was). */
    private static void checkTeacher(ModelStore store, TrainingJobSpec spec) {
        if (!store.exists(spec.teacher())) {
            throw new JobFailure("teacher model '" + spec.teacher() + "' does not exist in "
                    + store.paramsFile(spec.teacher()).getParent()
                    + ": train it first (a job of kind teacher) or name another teacher", null);
        }
        String problem;
        try {
            problem = TrainerChecks.teacherMismatch(spec, store.metadata(spec.teacher()));
        } catch (IOException e) {
            problem = "teacher model '" + spec.teacher() + "' cannot be read: " + e.getMessage();
        }
        if (problem != null) {
            throw new JobFailure(problem, null);
        }
    }

    private static Network teacher(ModelStore store, TrainingJobSpec spec) {
        try {
            return store.load(spec.teacher());
        } catch (IOException e) {
            throw new JobFailure("teacher model '" + spec.teacher() + "' cannot be loaded: " + e.getMessage()
                    + "; train it again or name another teacher", e);
        }
    }

    private static Result save(ModelStore store, TrainingJobSpec spec, Network net, Dataset test,
                               Map<String, Object> training, long started) throws IOException {
        double accuracy = Evaluator.accuracy(net, test, WeightSource.MASTER);
        checkCancelled();
        store.save(spec.model(), net, new ModelMetadata(net.architecture().id(), net.channels(), net.size(),
                net.classes(), spec.datasetKind().id(), accuracy, training, Instant.now().toString()));
        return new Result(spec.model(), accuracy, (System.nanoTime() - started) / 1e9);
    }

    private static void checkCancelled() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("cancelled");
        }
    }
}
