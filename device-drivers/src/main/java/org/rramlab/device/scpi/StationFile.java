package org.rramlab.device.scpi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A probe station as cabled, declared in a file (config/stations/*.conf, docs/instruments.md
 * "Station file"): the matrix (model, cards, configuration mode), which matrix input carries the
 * gate SMU, each bit SMU and the GNDU, and which matrix outputs go to the probe card's pads (word,
 * bit and source lines, each a run of consecutive outputs). The plan of every routing derives from
 * it; {@link #check} refuses an array the station cannot reach, naming the limit.
 *
 * @param padRows word lines (and source lines) the probe card has pads for
 * @param padCols bit lines the probe card has pads for
 */
public record StationFile(String name, SwitchMatrix.Layout matrix, Wiring wiring, int padRows, int padCols) {
    public StationFile {
        if (padRows < 1 || padCols < 1) {
            throw new IllegalArgumentException("station '" + name + "': the probe card needs at least one row and one column of pads");
        }
    }

    public static StationFile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("station file " + file + " does not exist; give a file like config/stations/b2200a-4cards.conf");
        }
        try {
            return from(ConfigFactory.parseFile(file.toFile()).resolve().getConfig("station"), file.getFileName().toString());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("station file " + file + ": " + e.getMessage(), e);
        }
    }

    /** From the {@code station} block of a station file. */
    public static StationFile from(Config c, String source) {
        try {
            String name = c.hasPath("name") ? c.getString("name") : source;
            Config m = c.getConfig("matrix");
            SwitchMatrix.Model model = enumOf(SwitchMatrix.Model.class, m.getString("model"), "matrix.model", "B2200A or E5250A");
            SwitchMatrix.Mode mode = enumOf(SwitchMatrix.Mode.class, m.hasPath("mode") ? m.getString("mode") : "auto", "matrix.mode",
                    "auto or normal");
            SwitchMatrix.Layout layout = new SwitchMatrix.Layout(model, m.getInt("cards"), mode);
            Config a = c.getConfig("analyzer");
            Config gate = a.getConfig("gate-smu");
            List<? extends Config> bits = a.getConfigList("bit-smus");
            if (bits.isEmpty() || bits.size() > 9) {
                throw new IllegalArgumentException("analyzer.bit-smus lists 1..9 SMUs (the B1500 has 10 slots, one is the gate), got "
                        + bits.size());
            }
            int[] chs = new int[bits.size()];
            int[] ins = new int[bits.size()];
            for (int i = 0; i < chs.length; i++) {
                chs[i] = bits.get(i).getInt("channel");
                ins[i] = bits.get(i).getInt("input");
            }
            Config p = c.getConfig("probe-card");
            Wiring w = new Wiring(gate.getInt("channel"), chs, gate.getInt("input"), ins, a.getInt("gndu-input"),
                    p.getInt("word-lines"), p.getInt("bit-lines"), p.getInt("source-lines"));
            StationFile f = new StationFile(name, layout, w, p.getInt("rows"), p.getInt("cols"));
            // the whole probe card must be wirable on this matrix, whatever array is later read through it
            w.check(f.padRows(), f.padCols(), layout);
            return f;
        } catch (ConfigException e) {
            throw new IllegalArgumentException("station '" + source + "': " + e.getMessage()
                    + " (docs/instruments.md, \"Station file\", lists every key)", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("station '" + source + "': " + e.getMessage(), e);
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String key, String allowed) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be " + allowed + ", got '" + value + "'", e);
        }
    }

    /** Refuses an R x C array this station cannot reach: more lines than the probe card has pads (or the matrix outputs). */
    public void check(int rows, int cols) {
        if (rows > padRows || cols > padCols) {
            throw new IllegalArgumentException("station '" + name + "' reaches arrays up to " + padRows + "x" + padCols
                    + " (its probe card's pads on " + matrix.outputs() + " matrix outputs); a " + rows + "x" + cols
                    + " array needs an array board (docs/instruments.md, \"Array board interface\") or another station file");
        }
        wiring.check(rows, cols, matrix);
    }
}
