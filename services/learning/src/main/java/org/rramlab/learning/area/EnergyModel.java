package org.rramlab.learning.area;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First-order energy and latency of one inference, for the RRAM macro alone and with the SRAM corrections,
 * and of one on-line update (OSA round). Per weighted layer, used at {@code positions} output positions (1 for
 * a dense layer):
 * <ul>
 *   <li><b>RRAM</b>: each input bit is one read pulse of {@code read-pulse-ns} on the rows whose bit is 1; the
 *       cells dissipate V^2 G t; every column is converted once per input bit (one ADC per
 *       {@code columns-per-adc} columns, taken in turn) and shifted-and-added. Tiles work in parallel, so a
 *       position takes input-bits x columns-per-adc x (pulse + conversion).</li>
 *   <li><b>SRAM</b>: each correction is read (value and index bits) and multiplied-accumulated once per
 *       position, by the logic unit of its subarray, one correction per clock; those cycles run beside the
 *       RRAM's and add latency only where they take longer. Corrections are spread over layers in proportion
 *       to their weights.</li>
 *   <li><b>Update</b>: one read of every device through the ADCs, the SRAM written once, and the training's
 *       digital MACs (3 x the forward MACs per calibration image and epoch) at the MAC energy.</li>
 * </ul>
 * Parameters with their sources: {@code config/area/energy-65nm.conf}.
 */
public final class EnergyModel {
    public static final List<String> NAMES = List.of("read-voltage-v", "read-pulse-ns", "clock-ghz", "input-bits",
            "input-one-share", "adc-conversion-pj", "adc-conversion-ns", "shift-add-pj", "sram-read-fj-per-bit",
            "sram-write-fj-per-bit", "mac-pj");

    /** One weighted layer as the model sees it. */
    public record Layer(String name, int fanIn, int fanOut, long positions, int tiles, double meanPairSiemens) {
        long weights() {
            return (long) fanIn * fanOut;
        }
    }

    /** Energy (pJ) and latency (ns) of one inference. */
    public record Cost(double pj, double ns) {}

    private final String name;
    private final Map<String, AreaParameters.Parameter> p;

    public EnergyModel(String name, Map<String, AreaParameters.Parameter> parameters) {
        for (String n : NAMES) {
            AreaParameters.Parameter v = parameters.get(n);
            if (v == null || v.source() == null || v.source().isBlank() || !(v.value() >= 0)) {
                throw new IllegalArgumentException("energy model " + name + ": parameter " + n
                        + " needs a value >= 0 and a source; add `" + n + " { value = ..., source = \"...\" }`");
            }
        }
        this.name = name;
        this.p = Map.copyOf(parameters);
    }

    public static EnergyModel load(String name) {
        Config c = ConfigFactory.parseResources("area/" + name + ".conf");
        if (c.isEmpty()) {
            throw new IllegalArgumentException("no energy model '" + name + "' on the classpath (config/area/" + name
                    + ".conf)");
        }
        c = c.resolve();
        Map<String, AreaParameters.Parameter> m = new LinkedHashMap<>();
        for (String n : NAMES) {
            if (c.hasPath(n + ".value")) {
                m.put(n, new AreaParameters.Parameter(c.getDouble(n + ".value"),
                        c.hasPath(n + ".source") ? c.getString(n + ".source") : null));
            }
        }
        return new EnergyModel(c.hasPath("name") ? c.getString("name") : name, m);
    }

    public static EnergyModel default65nm() {
        return load("energy-65nm");
    }

    public double value(String n) {
        return p.get(n).value();
    }

    public EnergyModel with(String n, double value) {
        Map<String, AreaParameters.Parameter> m = new LinkedHashMap<>(p);
        m.put(n, new AreaParameters.Parameter(value, "sensitivity: " + p.get(n).source()));
        return new EnergyModel(name, m);
    }

    /** The RRAM macro alone. */
    public Cost rram(List<Layer> layers, AreaParameters area) {
        double pj = 0;
        double ns = 0;
        double bits = value("input-bits");
        double v = value("read-voltage-v");
        double pulse = value("read-pulse-ns");
        for (Layer l : layers) {
            double cellJoules = l.weights() * l.meanPairSiemens() * v * v * pulse * 1e-9 * bits * value("input-one-share");
            double conversions = 2.0 * l.fanOut() * Math.ceil((double) l.fanIn() / area.value("subarray-rows")) * bits;
            pj += l.positions() * (cellJoules * 1e12 + conversions * (value("adc-conversion-pj") + value("shift-add-pj")));
            ns += l.positions() * rramStepNs(area);
        }
        return new Cost(pj, ns);
    }

    private double rramStepNs(AreaParameters area) {
        return value("input-bits") * area.value("columns-per-adc") * (value("read-pulse-ns") + value("adc-conversion-ns"));
    }

    /** The RRAM macro with {@code corrections} SRAM corrections of {@code bitsPerCorrection} bits. */
    public Cost rramSram(List<Layer> layers, AreaParameters area, long corrections, int bitsPerCorrection,
                         long correctionsPerUnit) {
        Cost rram = rram(layers, area);
        long total = layers.stream().mapToLong(Layer::weights).sum();
        double pj = rram.pj();
        double ns = 0;
        double cycle = 1 / value("clock-ghz");
        for (Layer l : layers) {
            double k = (double) corrections * l.weights() / total;
            if (k > 0) {
                pj += l.positions() * k * (bitsPerCorrection * value("sram-read-fj-per-bit") / 1000 + value("mac-pj"));
            }
            double units = Math.max(1, Math.ceil(k / correctionsPerUnit));
            double sramNs = Math.ceil(k / units) * cycle;
            ns += l.positions() * Math.max(rramStepNs(area), sramNs + (k > 0 ? cycle : 0));
        }
        return new Cost(pj, ns);
    }

    /** One on-line update: a read of every device, the SRAM written, and the training's MACs. */
    public Map<String, Object> update(List<Layer> layers, AreaParameters area, long corrections, int bitsPerCorrection,
                                      long calibrationImages, int epochs) {
        long macs = layers.stream().mapToLong(l -> l.positions() * l.weights()).sum();
        double readPj = 0;
        double readNs = 0;
        for (Layer l : layers) {
            double conversions = 2.0 * l.fanOut() * Math.ceil((double) l.fanIn() / area.value("subarray-rows"));
            // a device-by-device read: one pulse per row, every column converted
            readPj += l.fanIn() * conversions * (value("adc-conversion-pj") + value("shift-add-pj"))
                    / Math.ceil((double) l.fanIn() / area.value("subarray-rows"));
            readNs += Math.min(l.fanIn(), area.value("subarray-rows")) * area.value("columns-per-adc")
                    * (value("read-pulse-ns") + value("adc-conversion-ns"));
        }
        double writePj = corrections * bitsPerCorrection * value("sram-write-fj-per-bit") / 1000;
        double trainMacs = 3.0 * macs * calibrationImages * Math.max(epochs, 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read_all_devices_pj", readPj);
        m.put("read_all_devices_ns", readNs);
        m.put("sram_write_pj", writePj);
        m.put("training_macs", trainMacs);
        m.put("training_pj_at_mac_energy", trainMacs * value("mac-pj"));
        m.put("note", "training MACs at the digital MAC energy: an upper bound for a host or accelerator doing it");
        return m;
    }

    public Map<String, Object> parametersJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : NAMES) {
            out.put(n, Map.of("value", p.get(n).value(), "source", p.get(n).source()));
        }
        return out;
    }

    /** Names of the parameters that are this project's estimates. */
    public List<String> estimates() {
        List<String> out = new ArrayList<>();
        for (String n : NAMES) {
            if (p.get(n).source().startsWith("estimate")) {
                out.add(n);
            }
        }
        return out;
    }

    public String name() {
        return name;
    }
}
