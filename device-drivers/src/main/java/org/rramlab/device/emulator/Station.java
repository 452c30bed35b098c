package org.rramlab.device.emulator;

import java.util.ArrayList;
import java.util.List;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.scpi.ProgrammingCurve;
import org.rramlab.device.scpi.Wiring;
import org.rramlab.device.sim.ArrayModel;

/**
 * What the emulated instruments share: the wafer (one simulated array per die), where the prober
 * stands, the matrix relays, the cables between the SMUs and the matrix ({@link Wiring}), the
 * chuck heater, and the devices' clock. Guarded by the emulator's lock.
 *
 * <p>The circuit: a cell (r, c) conducts from bit line c to source line r when its word line's
 * gate is above the transistor threshold; a line not connected to anything floats and carries no
 * current. A SET pulse on a bit line programs each selected cell to the conductance its gate
 * voltage allows ({@link ProgrammingCurve}); a negative pulse beyond the RESET threshold resets
 * it to Gmin.
 *
 * <p>The devices' clock runs at {@code timeScale} device seconds per wall second (0 freezes it)
 * and can be advanced by {@link #advanceClock}: both are controls of the emulator, not commands
 * of any instrument.
 */
final class Station {
    static final double SET_THRESHOLD_VOLTS = 0.8;
    static final double RESET_THRESHOLD_VOLTS = -0.8;
    final ArrayModel[] dies;
    final WaferMap map;
    final int rows;
    final int cols;
    final Wiring wiring;
    final ProgrammingCurve curve;
    final DevicePreset preset;
    int currentDie = -1;
    boolean contact;
    /** Relays closed: input * 1000 + global output. */
    final java.util.Set<Integer> relays = new java.util.TreeSet<>();
    /** Connections the matrix makes by itself (ground and bias modes) to outputs no relay connects. */
    final java.util.Set<Integer> defaultRelays = new java.util.TreeSet<>();
    /** Voltage each analyzer channel forces (NaN: not forcing a voltage). */
    final double[] channelVolts = new double[1100];
    double heaterSetCelsius = 25;
    double heaterCelsius = 25;
    final double heaterRate;
    final double timeScale;
    private long lastTick = System.nanoTime();

    Station(DevicePreset preset, int rows, int cols, int dieCount, long seed, Wiring wiring, double heaterKelvinPerSecond,
            double timeScale) {
        this.map = new WaferMap(dieCount);
        if (wiring.sourceLine0() + rows > 999 || wiring.bitLine0() + cols > 999) {
            throw new IllegalArgumentException("the emulator numbers at most 999 lines; a " + rows + "x" + cols + " array has more");
        }
        this.rows = rows;
        this.cols = cols;
        this.preset = preset;
        this.wiring = wiring;
        this.curve = ProgrammingCurve.forPreset(preset);
        this.heaterRate = heaterKelvinPerSecond;
        this.timeScale = timeScale;
        java.util.Arrays.fill(channelVolts, Double.NaN);
        dies = new ArrayModel[dieCount];
        for (int d = 0; d < dieCount; d++) {
            dies[d] = new ArrayModel("die-" + d, preset, rows, cols, seed + d);
        }
    }

    /** The array under the probes, or null when no die is selected or the probes are up. */
    ArrayModel underProbes() {
        return currentDie >= 0 && contact ? dies[currentDie] : null;
    }

    /** Lets wall time pass for the devices and the heater; called before every command. */
    void tick() {
        long now = System.nanoTime();
        double wall = (now - lastTick) / 1e9;
        lastTick = now;
        if (heaterCelsius != heaterSetCelsius) {
            double step = heaterRate * wall;
            double before = heaterCelsius;
            heaterCelsius = Math.abs(heaterSetCelsius - heaterCelsius) <= step ? heaterSetCelsius
                    : heaterCelsius + Math.copySign(step, heaterSetCelsius - heaterCelsius);
            if (Math.abs(heaterCelsius - before) > 1e-9) {
                for (ArrayModel m : dies) {
                    m.setTemperature(heaterCelsius + 273.15);
                }
            }
        }
        if (timeScale > 0 && wall > 0) {
            for (ArrayModel m : dies) {
                m.advanceClock(wall * timeScale);
            }
        }
    }

    void advanceClock(double seconds) {
        for (ArrayModel m : dies) {
            m.advanceClock(seconds);
        }
    }

    /** The analyzer channel cabled to a matrix input; 0 for the GNDU; -1 for nothing. */
    private int channelOfInput(int input) {
        if (input == wiring.groundInput()) {
            return 0;
        }
        if (input == wiring.gateInput()) {
            return wiring.gateChannel();
        }
        for (int j = 0; j < wiring.bitInputs().length; j++) {
            if (wiring.bitInputs()[j] == input) {
                return wiring.bitChannels()[j];
            }
        }
        return -1;
    }

    private double inputVolts(int input) {
        int ch = channelOfInput(input);
        return ch == 0 ? 0 : ch < 0 ? Double.NaN : channelVolts[ch];
    }

    /** A line connected through the relays: kind 'W', 'B' or 'S' and index, or null. */
    private int[] line(int output) {
        if (output >= wiring.wordLine0() && output < wiring.wordLine0() + rows) {
            return new int[] {'W', output - wiring.wordLine0()};
        }
        if (output >= wiring.bitLine0() && output < wiring.bitLine0() + cols) {
            return new int[] {'B', output - wiring.bitLine0()};
        }
        if (output >= wiring.sourceLine0() && output < wiring.sourceLine0() + rows) {
            return new int[] {'S', output - wiring.sourceLine0()};
        }
        return null;
    }

    /** Cells whose bit line is connected to channel {@code ch} and that conduct: {row, col, gate mV, source mV}. */
    List<double[]> cellsOf(int ch) {
        List<Integer> bits = new ArrayList<>();
        double[] wordVolts = new double[rows];
        double[] sourceVolts = new double[rows];
        java.util.Arrays.fill(wordVolts, Double.NaN);
        java.util.Arrays.fill(sourceVolts, Double.NaN);
        java.util.List<Integer> all = new ArrayList<>(relays);
        all.addAll(defaultRelays);
        for (int relay : all) {
            int input = relay / 1000;
            int[] l = line(relay % 1000);
            if (l == null) {
                continue;
            }
            double v = inputVolts(input);
            if (l[0] == 'B' && channelOfInput(input) == ch) {
                bits.add(l[1]);
            } else if (l[0] == 'W' && !Double.isNaN(v)) {
                wordVolts[l[1]] = Double.isNaN(wordVolts[l[1]]) ? v : Math.max(v, wordVolts[l[1]]);
            } else if (l[0] == 'S' && !Double.isNaN(v)) {
                sourceVolts[l[1]] = v;
            }
        }
        List<double[]> cells = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            if (wordVolts[r] > curve.thresholdVolts() && !Double.isNaN(sourceVolts[r])) {
                for (int c : bits) {
                    cells.add(new double[] {r, c, wordVolts[r], sourceVolts[r]});
                }
            }
        }
        return cells;
    }

    /** Current into the bit lines of channel {@code ch} at {@code volts}: one read of each conducting cell. */
    double current(ArrayModel m, int ch, double volts) {
        double i = 0;
        for (double[] cell : cellsOf(ch)) {
            float g = m.read(new Block((int) cell[0], (int) cell[1], 1, 1)).conductances()[0];
            i += g * (volts - cell[3]);
        }
        return i;
    }

    /** A pulse of {@code volts} on the bit lines of channel {@code ch}: SET or RESET of every selected cell. */
    double pulse(ArrayModel m, int ch, double volts) {
        double i = 0;
        for (double[] cell : cellsOf(ch)) {
            Block b = new Block((int) cell[0], (int) cell[1], 1, 1);
            if (volts - cell[3] >= SET_THRESHOLD_VOLTS) {
                double target = curve.siemens(cell[2]);
                if (target > 0) {
                    m.program(ProgramRequest.ofConductances(b, new float[] {(float) target}, false));
                }
            } else if (volts - cell[3] <= RESET_THRESHOLD_VOLTS) {
                m.program(ProgramRequest.ofConductances(b, new float[] {(float) preset.gMinSiemens()}, false));
            }
            i += m.programmedSiemens(b.row0(), b.col0()) * (volts - cell[3]);
        }
        return i;
    }
}
