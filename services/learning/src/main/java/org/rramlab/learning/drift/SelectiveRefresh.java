package org.rramlab.learning.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.rramlab.device.Block;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.learning.mapping.LayerMapping;
import org.rramlab.learning.mapping.MeasuredConductances;
import org.rramlab.learning.mapping.TilePlacement;
import org.rramlab.learning.mapping.WeightMapping;

/**
 * Selective refresh: reprogram, with write-verify, the few devices whose error costs most
 * (importance of the weight x its measured error after compensation). A refreshed device is
 * programmed to the conductance that, times its column's gain, gives the target again, so that
 * it agrees with the gain its drifted neighbours need, now or (with a {@link RefreshForecast}) over
 * the coming checks. Only the device of the pair that carries the weight is written; the other stays
 * as it is. A device that write-verify could not bring within tolerance (stuck) is reported as such,
 * so that a caller does not spend its budget on it again.
 */
public final class SelectiveRefresh {
    private SelectiveRefresh() {}

    /** One device: weight {@code weight} of layer {@code layer}, its G+ ({@code plus}) or G- device. */
    public record Device(int layer, int weight, boolean plus, double score) {}

    /** What a refresh cost: devices written and write-verify pulses; {@code unverified}: left out of tolerance. */
    public record Result(List<Device> devices, long pulses, List<Device> unverified) {
        public Result(List<Device> devices, long pulses) {
            this(devices, pulses, List.of());
        }
    }

    /**
     * The {@code budget} devices of largest importance x |compensated - target|.
     *
     * @param importance per layer, per weight (e.g. the mean |gradient| on calibration data)
     */
    public static List<Device> choose(WeightMapping mapping, List<float[]> compensated, List<float[]> importance,
                                      int budget) {
        if (budget <= 0) {
            return List.of();
        }
        List<float[]> targets = mapping.targetWeights();
        PriorityQueue<Device> best = new PriorityQueue<>((a, b) -> Double.compare(a.score(), b.score()));
        for (int l = 0; l < targets.size(); l++) {
            float[] t = targets.get(l);
            float[] w = compensated.get(l);
            float[] imp = importance.get(l);
            for (int i = 0; i < t.length; i++) {
                double score = imp[i] * Math.abs(w[i] - t[i]);
                if (score > 0 && (best.size() < budget || score > best.peek().score())) {
                    // a zero target is carried by neither device: write the one that has moved away
                    boolean plus = t[i] > 0 || (t[i] == 0 && w[i] > 0);
                    best.add(new Device(l, i, plus, score));
                    if (best.size() > budget) {
                        best.poll();
                    }
                }
            }
        }
        List<Device> out = new ArrayList<>(best);
        out.sort((a, b) -> Double.compare(b.score(), a.score()));
        return out;
    }

    /** A device to write: its array, row and column, and the conductance it is to hold. */
    public record Write(Device device, String arrayId, int row, int col, double targetSiemens) {}

    /**
     * Where each chosen device sits and the conductance that, times its column's gain, gives the
     * target again (within [Gmin, Gmax]), the other device of its pair as read now.
     */
    public static List<Write> writes(WeightMapping mapping, MeasuredConductances read, ColumnGains gains,
                                     List<Device> devices) {
        return writes(mapping, read, gains, devices, RefreshForecast.none());
    }

    /** As above, each device to where {@code forecast} says it agrees with its gain over the coming checks. */
    public static List<Write> writes(WeightMapping mapping, MeasuredConductances read, ColumnGains gains,
                                     List<Device> devices, RefreshForecast forecast) {
        double span = mapping.gMaxSiemens() - mapping.gMinSiemens();
        List<Write> out = new ArrayList<>();
        for (Device d : devices) {
            LayerMapping layer = mapping.layers().get(d.layer());
            double gain = gains.gain(mapping, d.layer(), d.weight());
            double scale = layer.wMax() / span * gain;
            double target = layer.signedLevels()[d.weight()] * layer.wMax() / (mapping.levels() - 1);
            double gp = read.gPlus().get(d.layer())[d.weight()];
            double gm = read.gMinus().get(d.layer())[d.weight()];
            double g = d.plus() ? forecast.conductance(gm, target / scale, gain)
                    : forecast.conductance(gp, -target / scale, gain);
            g = Math.max(mapping.gMinSiemens(), Math.min(mapping.gMaxSiemens(), g));
            int in = d.weight() % layer.fanIn();
            int column = d.weight() / layer.fanIn();
            TilePlacement tile = tileOf(layer, in, column);
            out.add(new Write(d, tile.arrayId(), tile.row0() + in - tile.inputStart(),
                    tile.col0() + 2 * (column - tile.outputStart()) + (d.plus() ? 0 : 1), g));
        }
        return out;
    }

    /** Programs the chosen devices, each on its own, with write-verify, to what the gains expect now. */
    public static CompletionStage<Result> apply(WeightMapping mapping, Map<String, RramArray> arrays,
                                                MeasuredConductances read, ColumnGains gains, List<Device> devices) {
        return apply(mapping, arrays, read, gains, devices, RefreshForecast.none());
    }

    /** As above, each device to where {@code forecast} says it agrees with its gain over the coming checks. */
    public static CompletionStage<Result> apply(WeightMapping mapping, Map<String, RramArray> arrays,
                                                MeasuredConductances read, ColumnGains gains, List<Device> devices,
                                                RefreshForecast forecast) {
        List<CompletableFuture<ProgramResult>> all = new ArrayList<>();
        for (Write w : writes(mapping, read, gains, devices, forecast)) {
            Block cell = new Block(w.row(), w.col(), 1, 1);
            all.add(arrays.get(w.arrayId()).program(ProgramRequest.ofConductances(cell,
                    new float[] {(float) w.targetSiemens()}, true)).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Device> unverified = new ArrayList<>();
            for (int i = 0; i < devices.size(); i++) {
                if (all.get(i).join().cellsOutOfTolerance() > 0) {
                    unverified.add(devices.get(i));
                }
            }
            return new Result(devices, all.stream().mapToLong(f -> f.join().pulses()).sum(), List.copyOf(unverified));
        });
    }

    private static TilePlacement tileOf(LayerMapping layer, int in, int out) {
        for (TilePlacement t : layer.tiles()) {
            if (in >= t.inputStart() && in < t.inputStart() + t.inputs() && out >= t.outputStart()
                    && out < t.outputStart() + t.outputs()) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tile of layer " + layer.name() + " holds input " + in + ", output " + out);
    }
}
