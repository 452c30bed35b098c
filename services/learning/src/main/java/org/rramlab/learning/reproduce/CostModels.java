package org.rramlab.learning.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.noise.DeviceNoise;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.area.EnergyModel;
import org.rramlab.learning.mapping.LayerMapping;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.learning.model.LayerSpec;
import org.rramlab.learning.model.Network;

/** The area sensitivity and the energy and latency figures of a reproduction, as JSON. */
final class CostModels {
    private CostModels() {}

    /**
     * Each estimated area parameter halved and doubled (and the SRAM cell at NeuroSim's 280 F^2): the macro cost
     * of {@code k} corrections and the SRAM share within the paper's 7.86 %.
     */
    static List<Map<String, Object>> areaSensitivity(AreaModel area, long rramWeights, long k) {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(sensitivityRow(area, "baseline", Double.NaN, 1, rramWeights, k));
        for (String n : AreaParameters.NAMES) {
            AreaParameters.Parameter p = area.parameters().parameters().get(n);
            if (p.source().startsWith("estimate")) {
                for (double f : new double[] {0.5, 2}) {
                    rows.add(sensitivityRow(area.with(n, p.value() * f), n, p.value() * f, f, rramWeights, k));
                }
            }
        }
        rows.add(sensitivityRow(area.with("sram-cell-f2", 280), "sram-cell-f2", 280, 280 / area.parameters()
                .value("sram-cell-f2"), rramWeights, k));
        rows.get(rows.size() - 1).put("why", "NeuroSim V1.3's default SRAM cell (10 F x 28 F) instead of the 65 nm bitcell");
        return rows;
    }

    private static Map<String, Object> sensitivityRow(AreaModel m, String parameter, double value, double factor,
                                                      long rramWeights, long k) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("parameter", parameter);
        if (!Double.isNaN(value)) {
            r.put("value", value);
            r.put("factor", factor);
        }
        r.put("area_cost_at_headline", m.report(rramWeights, k).macroCost());
        r.put("sram_fraction_within_paper_cost", m.fractionForMacroCost(rramWeights, ReproduceOptions.PAPER_AREA_COST));
        return r;
    }

    /** The weighted layers with their output positions per inference and mean conductance per pair. */
    static List<EnergyModel.Layer> layers(Network net, DevicePreset preset, WeightMapping mapping) {
        List<EnergyModel.Layer> out = new ArrayList<>();
        int size = net.size();
        int w = 0;
        for (LayerSpec s : net.architecture().layers(net.channels(), net.size(), net.classes())) {
            if (s instanceof LayerSpec.Conv c) {
                size = size + 2 * c.padding() - c.kernel() + 1;
                out.add(layer(c, (long) size * size, mapping.layers().get(w++), preset));
            } else if (s instanceof LayerSpec.MaxPool p) {
                size = size / p.size();
            } else if (s instanceof LayerSpec.Dense d) {
                out.add(layer(d, 1, mapping.layers().get(w++), preset));
            }
        }
        return out;
    }

    private static EnergyModel.Layer layer(LayerSpec.Weighted spec, long positions, LayerMapping m, DevicePreset preset) {
        double sum = 0;
        double spacing = DeviceNoise.of(preset).levelSpacing();
        for (byte level : m.signedLevels()) {
            // the pair: one device at Gmin, the other |level| steps above it
            sum += 2 * preset.gMinSiemens() + Math.abs(level) * spacing;
        }
        return new EnergyModel.Layer(spec.name(), spec.fanIn(), spec.fanOut(), positions, m.tiles().size(),
                sum / m.signedLevels().length);
    }

    static Map<String, Object> energyJson(Network net, DevicePreset preset, WeightMapping mapping, AreaModel area,
                                          long corrections, long calibrationImages, int epochs) {
        EnergyModel e = EnergyModel.default65nm();
        List<EnergyModel.Layer> layers = layers(net, preset, mapping);
        AreaParameters p = area.parameters();
        int bits = area.sramBitsPerWeight();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", e.name());
        out.put("parameters", e.parametersJson());
        out.put("rram", cost(e.rram(layers, p)));
        Map<String, Object> both = cost(e.rramSram(layers, p, corrections, bits, area.correctionsPerUnit()));
        both.put("sram_weights", corrections);
        out.put("rram_sram", both);
        out.put("update", e.update(layers, p, corrections, bits, calibrationImages, epochs));
        List<Map<String, Object>> sens = new ArrayList<>();
        for (String n : e.estimates()) {
            for (double f : new double[] {0.5, 2}) {
                EnergyModel m = e.with(n, e.value(n) * f);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("parameter", n);
                r.put("factor", f);
                r.put("rram", cost(m.rram(layers, p)));
                r.put("rram_sram", cost(m.rramSram(layers, p, corrections, bits, area.correctionsPerUnit())));
                sens.add(r);
            }
        }
        out.put("sensitivity", sens);
        List<Map<String, Object>> perLayer = new ArrayList<>();
        for (EnergyModel.Layer l : layers) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("layer", l.name());
            r.put("positions", l.positions());
            r.put("tiles", l.tiles());
            r.put("mean_pair_siemens", l.meanPairSiemens());
            perLayer.add(r);
        }
        out.put("layers", perLayer);
        return out;
    }

    private static Map<String, Object> cost(EnergyModel.Cost c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pj_per_inference", c.pj());
        m.put("ns_per_inference", c.ns());
        return m;
    }
}
