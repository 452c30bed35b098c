package org.rramlab.learning.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.rramlab.device.DeviceException;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;
import org.rramlab.learning.model.LayerSpec;
import org.rramlab.learning.model.Network;

/**
 * Plans a mapping (quantize, tile, place), programs it onto arrays and reads it back.
 * All array work is asynchronous, as {@link RramArray} is; nothing here blocks.
 */
public final class Mapper {
    private Mapper() {}

    /**
     * Quantizes every weighted layer to the preset's levels with its own w_max (see {@link MappingConfig}), splits it
     * into tiles and places the tiles on arrays named {@code arrayPrefix-0, -1, ...}, filling each
     * array row of tiles by row of tiles before opening the next array.
     */
    public static WeightMapping plan(Network net, DevicePreset preset, MappingConfig config, String arrayPrefix) {
        List<LayerSpec.Weighted> specs = net.weightedLayers();
        List<LayerMapping> layers = new ArrayList<>();
        List<String> arrays = new ArrayList<>();
        int perRow = config.arrayCols() / config.tileCols();
        int perCol = config.arrayRows() / config.tileRows();
        int slot = perRow * perCol; // forces a new array for the first tile
        int outputsPerTile = config.tileCols() / 2;
        int top = preset.levels() - 1;
        for (int l = 0; l < specs.size(); l++) {
            LayerSpec.Weighted spec = specs.get(l);
            float[] w = net.weightValues(l);
            double wMax = MappingConfig.wMax(w, config.wMaxQuantile());
            byte[] levels = new byte[w.length];
            for (int i = 0; i < w.length; i++) {
                int k = (int) Math.min(top, Math.round(Math.abs(w[i]) / wMax * top));
                levels[i] = (byte) (w[i] < 0 ? -k : k);
            }
            List<TilePlacement> tiles = new ArrayList<>();
            for (int in0 = 0; in0 < spec.fanIn(); in0 += config.tileRows()) {
                for (int out0 = 0; out0 < spec.fanOut(); out0 += outputsPerTile) {
                    if (slot == perRow * perCol) {
                        arrays.add(arrayPrefix + "-" + arrays.size());
                        slot = 0;
                    }
                    int row0 = (slot / perRow) * config.tileRows();
                    int col0 = (slot % perRow) * config.tileCols();
                    tiles.add(new TilePlacement(arrays.get(arrays.size() - 1), row0, col0, in0,
                            Math.min(config.tileRows(), spec.fanIn() - in0), out0,
                            Math.min(outputsPerTile, spec.fanOut() - out0)));
                    slot++;
                }
            }
            layers.add(new LayerMapping(spec.name(), l, spec.fanIn(), spec.fanOut(), wMax, levels, List.copyOf(tiles)));
        }
        return new WeightMapping(preset.name(), preset.levels(), preset.gMinSiemens(), preset.gMaxSiemens(), config,
                List.copyOf(arrays), List.copyOf(layers));
    }

    /** Programs every tile: the active device of each pair to its level, the other to level 0 (Gmin). */
    public static CompletionStage<List<ProgramResult>> program(WeightMapping mapping, Map<String, RramArray> arrays) {
        return program(mapping, arrays, mapping.config().writeVerify());
    }

    /** As above, with write-verify or without whatever the mapping's config says (a refresh of every device). */
    public static CompletionStage<List<ProgramResult>> program(WeightMapping mapping, Map<String, RramArray> arrays,
                                                               boolean writeVerify) {
        List<CompletableFuture<ProgramResult>> all = new ArrayList<>();
        for (LayerMapping layer : mapping.layers()) {
            for (TilePlacement tile : layer.tiles()) {
                int[] cells = new int[tile.inputs() * 2 * tile.outputs()];
                for (int r = 0; r < tile.inputs(); r++) {
                    for (int j = 0; j < tile.outputs(); j++) {
                        int s = layer.signedLevels()[(tile.outputStart() + j) * layer.fanIn() + tile.inputStart() + r];
                        cells[r * 2 * tile.outputs() + 2 * j] = Math.max(s, 0);
                        cells[r * 2 * tile.outputs() + 2 * j + 1] = Math.max(-s, 0);
                    }
                }
                RramArray array = array(arrays, tile.arrayId());
                all.add(array.program(ProgramRequest.ofLevels(tile.block(), cells, writeVerify))
                        .toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    /** Reads every tile back and assembles the conductances per layer in the layer's weight order. */
    public static CompletionStage<MeasuredConductances> read(WeightMapping mapping, Map<String, RramArray> arrays) {
        List<float[]> plus = new ArrayList<>();
        List<float[]> minus = new ArrayList<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (LayerMapping layer : mapping.layers()) {
            float[] p = new float[layer.weights()];
            float[] m = new float[layer.weights()];
            plus.add(p);
            minus.add(m);
            for (TilePlacement tile : layer.tiles()) {
                all.add(array(arrays, tile.arrayId()).read(tile.block()).toCompletableFuture()
                        .thenAccept(frame -> scatter(layer, tile, frame, p, m)));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> new MeasuredConductances(List.copyOf(plus), List.copyOf(minus)));
    }

    private static void scatter(LayerMapping layer, TilePlacement tile, Frame frame, float[] p, float[] m) {
        float[] g = frame.conductances();
        int width = 2 * tile.outputs();
        for (int r = 0; r < tile.inputs(); r++) {
            for (int j = 0; j < tile.outputs(); j++) {
                int w = (tile.outputStart() + j) * layer.fanIn() + tile.inputStart() + r;
                p[w] = g[r * width + 2 * j];
                m[w] = g[r * width + 2 * j + 1];
            }
        }
    }

    private static RramArray array(Map<String, RramArray> arrays, String id) {
        RramArray a = arrays.get(id);
        if (a == null) {
            throw new DeviceException("the mapping places tiles on array '" + id + "' but no such array was given;"
                    + " give one array per id in the mapping's arrayIds");
        }
        return a;
    }
}
