package org.rramlab.app.cli.learning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.RramArray;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.learning.data.DataSplit;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.DatasetFormatException;
import org.rramlab.learning.data.DatasetKind;
import org.rramlab.learning.data.DatasetRepository;
import org.rramlab.learning.device.DeviceAwareWeights;
import org.rramlab.learning.device.DeviceModel;
import org.rramlab.learning.hil.HilEvaluator;
import org.rramlab.learning.hil.HilResult;
import org.rramlab.learning.kd.TrainConfig;
import org.rramlab.learning.kd.Trainer;
import org.rramlab.learning.mapping.Mapper;
import org.rramlab.learning.mapping.MappingConfig;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.Evaluator;
import org.rramlab.learning.model.Network;
import org.rramlab.learning.model.Torch;
import org.rramlab.learning.model.WeightSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Benchmark training, the device-aware KD step and HIL evaluation. Java and PyTorch (a Python
 * script run as a subprocess) take turns round by round, so a shared CPU's load hits both alike.
 */
@Command(name = "learning", mixinStandardHelpOptions = true,
        description = "Benchmark training, the device-aware KD step and HIL evaluation.")
public class LearningBenchCommand implements Callable<Integer> {
    @Mixin
    LearningRunOptions.Datasets datasets = new LearningRunOptions.Datasets();

    @Option(names = "--batches", defaultValue = "150", description = "measured batches per round (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--warmup", defaultValue = "100", description = "warm-up batches per round (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--rounds", defaultValue = "5", description = "alternating Java/PyTorch rounds; medians are reported (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--threads", defaultValue = "2", description = "intra-op threads on both sides (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--script", description = "the PyTorch benchmark script (default: the copy shipped on the classpath)")
    Path script;

    @Option(names = "--json", description = "write the figures as JSON to this file")
    Path json;

    private static final int BATCH = 128;

    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new LearningBenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        System.setProperty("rramlab.threads", Integer.toString(threads));
        Path dir = datasets.dir();
        DataSplit data;
        try {
            data = new DatasetRepository(dir).load(DatasetKind.MNIST);
        } catch (DatasetFormatException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        Path py = script != null ? script : extractScript();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", Instant.now().toString());
        out.put("machine", machine());
        out.put("load_before", load());
        out.put("threads", threads);
        out.put("batch", BATCH);

        Dataset warm = data.train().slice(0, warmup * BATCH);
        Dataset measured = data.train().slice(warmup * BATCH, (warmup + batches) * BATCH);
        List<Double> java = new ArrayList<>();
        List<Double> pytorch = new ArrayList<>();
        List<Double> kd = new ArrayList<>();
        String pytorchVersion = "?";
        DeviceModel deviceModel = DeviceModel.of(DevicePreset.load(DevicePreset.DEFAULT));
        for (int r = 1; r <= rounds; r++) {
            try (Network net = Network.create(Architecture.LENET5, 1, 28, 10, r)) {
                TrainConfig plain = TrainConfig.plain(1, BATCH, 1e-3, r);
                Trainer.fit("bench", net.manager(), x -> net.forward(x, WeightSource.MASTER, true), net.parameters(),
                        warm, null, plain, null, e -> { });
                java.add(Trainer.fit("bench", net.manager(), x -> net.forward(x, WeightSource.MASTER, true),
                        net.parameters(), measured, null, plain, null, e -> { }).imagesPerSecond());
            }
            JsonNode p = runPython(py, dir.resolve("datasets").resolve("mnist"));
            pytorch.add(p.get("images_per_second").asDouble());
            pytorchVersion = p.get("version").asText();
            try (Network net = Network.create(Architecture.LENET5, 1, 28, 10, r)) {
                float[] teacherWarm = Evaluator.logits(net, warm, WeightSource.MASTER);
                float[] teacher = Evaluator.logits(net, measured, WeightSource.MASTER);
                TrainConfig distill = TrainConfig.distill(1, BATCH, 1e-3, r, 0.5);
                DeviceAwareWeights device = new DeviceAwareWeights(deviceModel, r);
                Trainer.fit("bench", net.manager(), x -> net.forward(x, device, true), net.parameters(), warm,
                        teacherWarm, distill, null, e -> { });
                kd.add(Trainer.fit("bench", net.manager(), x -> net.forward(x, device, true), net.parameters(),
                        measured, teacher, distill, null, e -> { }).imagesPerSecond());
            }
            System.out.printf(Locale.ROOT, "round %d: DJL %.0f images/s, PyTorch %.0f images/s, device-aware KD %.0f images/s%n",
                    r, java.get(r - 1), pytorch.get(r - 1), kd.get(r - 1));
        }
        double j = median(java);
        double p = median(pytorch);
        double k = median(kd);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("djl_images_per_second", j);
        training.put("pytorch_images_per_second", p);
        training.put("djl_over_pytorch", j / p);
        training.put("pytorch_version", pytorchVersion);
        training.put("djl_per_round", java);
        training.put("pytorch_per_round", pytorch);
        out.put("training", training);
        Map<String, Object> kdStep = new LinkedHashMap<>();
        kdStep.put("plain_images_per_second", j);
        kdStep.put("device_aware_kd_images_per_second", k);
        kdStep.put("overhead", j / k - 1);
        kdStep.put("per_round", kd);
        out.put("kd_step", kdStep);
        out.put("hil", hil(data.test()));
        out.put("load_after", load());

        System.out.println();
        System.out.printf(Locale.ROOT, "LeNet-5 training, MNIST, batch %d, %d threads (median of %d rounds)%n", BATCH,
                threads, rounds);
        System.out.printf(Locale.ROOT, "  DJL (PyTorch engine)      %8.0f images/s%n", j);
        System.out.printf(Locale.ROOT, "  PyTorch %-16s  %8.0f images/s   DJL / PyTorch = %.2f%n", pytorchVersion, p, j / p);
        System.out.printf(Locale.ROOT, "  device-aware KD step      %8.0f images/s   overhead %.1f %%%n", k, 100 * (j / k - 1));
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) out.get("hil");
        System.out.printf(Locale.ROOT, "HIL evaluation, 10000 test images: read %.3f s + classify %.3f s = %.3f s%n",
                h.get("read_seconds"), h.get("eval_seconds"), h.get("total_seconds"));
        System.out.printf(Locale.ROOT, "load average before %s, after %s%n", out.get("load_before"), out.get("load_after"));
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), out);
            System.out.println("figures written to " + json);
        }
        return 0;
    }

    /** Maps a LeNet-5 onto simulated arrays, then times reading it back and classifying the test set (median of 3). */
    private Map<String, Object> hil(Dataset test) {
        DevicePreset preset = DevicePreset.load(DevicePreset.DEFAULT);
        List<Double> read = new ArrayList<>();
        List<Double> eval = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        try (Network net = Network.create(Architecture.LENET5, 1, 28, 10, 1)) {
            WeightMapping mapping = Mapper.plan(net, preset, MappingConfig.defaults(), "bench");
            Map<String, RramArray> arrays = new LinkedHashMap<>();
            for (String id : mapping.arrayIds()) {
                arrays.put(id, new SimulatedArray(id, preset, 256, 256, id.hashCode()));
            }
            try {
                Mapper.program(mapping, arrays).toCompletableFuture().join();
                for (int i = 0; i < 4; i++) {
                    long t0 = System.nanoTime();
                    HilResult r = HilEvaluator.evaluate(net, mapping, arrays, test);
                    double t = (System.nanoTime() - t0) / 1e9;
                    if (i > 0) { // the first pass warms up
                        read.add(r.readSeconds());
                        eval.add(r.evalSeconds());
                        total.add(t);
                    }
                }
            } finally {
                arrays.values().forEach(RramArray::close);
            }
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("images", test.count());
        h.put("read_seconds", median(read));
        h.put("eval_seconds", median(eval));
        h.put("total_seconds", median(total));
        return h;
    }

    private JsonNode runPython(Path py, Path mnist) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(python, py.toString(), mnist.toString(), Integer.toString(threads),
                Integer.toString(BATCH), Integer.toString(warmup), Integer.toString(batches));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process proc = pb.start();
        byte[] stdout = proc.getInputStream().readAllBytes();
        if (!proc.waitFor(10, TimeUnit.MINUTES) || proc.exitValue() != 0) {
            throw new IOException(python + " " + py + " failed (exit " + (proc.isAlive() ? "timeout" : proc.exitValue())
                    + "); it needs PyTorch: install python3-torch or pass --python");
        }
        String text = new String(stdout, StandardCharsets.UTF_8).trim();
        String last = text.substring(text.lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }

    private static Path extractScript() throws IOException {
        try (InputStream in = LearningBenchCommand.class.getResourceAsStream("/bench/lenet_train_bench.py")) {
            if (in == null) {
                throw new IOException("the PyTorch benchmark script is not on the classpath; pass --script"
                        + " services/learning/bench/lenet_train_bench.py");
            }
            Path tmp = Files.createTempFile("lenet_train_bench", ".py");
            tmp.toFile().deleteOnExit();
            Files.write(tmp, in.readAllBytes());
            return tmp;
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: the CPU stays unnamed
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + ", Java " + System.getProperty("java.version");
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
