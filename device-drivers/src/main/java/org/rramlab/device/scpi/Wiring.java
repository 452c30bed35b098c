package org.rramlab.device.scpi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the station is cabled (docs/instruments.md, "Wiring"): which B1500 SMU drives which line
 * of a 1T1R array, and through which switch-matrix ports.
 *
 * <p>A cell (r, c) is a transistor whose gate is word line WL r, in series with an RRAM device
 * between bit line BL c and source line SL r. The gate SMU drives the selected word line, each
 * bit SMU one selected bit line (read voltage, programming pulses), the source lines go to ground
 * (the B1500 GNDU, cabled to a matrix input). Matrix outputs are numbered across cards: output
 * n is port ((n - 1) % 48) + 1 of card ((n - 1) / 48) + 1; the inputs are cabled to every card
 * used, at the same input number.
 *
 * @param gateChannel SMU channel on the word lines
 * @param bitChannels SMU channels on the bit lines; a row read measures this many cells at once
 * @param gateInput   matrix input cabled to the gate SMU
 * @param bitInputs   matrix inputs cabled to the bit SMUs, in the same order
 * @param groundInput matrix input cabled to the GNDU
 * @param wordLine0   matrix output of WL 0 (WL r at wordLine0 + r)
 * @param bitLine0    matrix output of BL 0
 * @param sourceLine0 matrix output of SL 0
 */
public record Wiring(int gateChannel, int[] bitChannels, int gateInput, int[] bitInputs, int groundInput,
                     int wordLine0, int bitLine0, int sourceLine0) {
    public static final int OUTPUTS_PER_CARD = 48;

    public Wiring {
        ParameterAnalyzer.checkChannel(gateChannel);
        if (bitChannels.length == 0 || bitChannels.length != bitInputs.length) {
            throw new IllegalArgumentException("give one matrix input per bit SMU, got " + bitChannels.length + " SMUs and "
                    + bitInputs.length + " inputs");
        }
        for (int ch : bitChannels) {
            ParameterAnalyzer.checkChannel(ch);
        }
        bitChannels = bitChannels.clone();
        bitInputs = bitInputs.clone();
    }

    /**
     * The default cabling of an R x C array: gate SMU 1 on input 1, bit SMUs 2..k+1 on inputs
     * 2..k+1, GNDU on input 12; outputs WL 0.. from 1, then BL 0.., then SL 0...
     */
    public static Wiring standard(int rows, int cols, int bitSmus) {
        int[] chs = new int[bitSmus];
        int[] ins = new int[bitSmus];
        for (int i = 0; i < bitSmus; i++) {
            chs[i] = 2 + i;
            ins[i] = 2 + i;
        }
        return new Wiring(1, chs, 1, ins, 12, 1, 1 + rows, 1 + rows + cols);
    }

    /** Outputs this wiring needs for an array of this shape; fails when the matrix has too few. */
    public void check(int rows, int cols, int cards) {
        int last = Math.max(wordLine0 + rows - 1, Math.max(bitLine0 + cols - 1, sourceLine0 + rows - 1));
        if (last > cards * OUTPUTS_PER_CARD) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " array needs matrix outputs up to " + last
                    + " but " + cards + " card(s) have " + cards * OUTPUTS_PER_CARD + "; add cards, or use an array board "
                    + "(docs/instruments.md) for arrays larger than a matrix reaches");
        }
    }

    static SwitchMatrix.Channel channel(int input, int output) {
        return new SwitchMatrix.Channel((output - 1) / OUTPUTS_PER_CARD + 1, input, (output - 1) % OUTPUTS_PER_CARD + 1);
    }

    /** The relays that connect row r and bit lines col0..col0+n-1 (n at most the bit SMUs). */
    public List<SwitchMatrix.Channel> relays(int row, int col0, int n) {
        List<SwitchMatrix.Channel> out = new ArrayList<>(n + 2);
        out.add(channel(gateInput, wordLine0 + row));
        out.add(channel(groundInput, sourceLine0 + row));
        for (int j = 0; j < n; j++) {
            out.add(channel(bitInputs[j], bitLine0 + col0 + j));
        }
        return out;
    }

    /** All channels the analyzer driver enables. */
    public int[] channels() {
        int[] all = Arrays.copyOf(bitChannels, bitChannels.length + 1);
        all[bitChannels.length] = gateChannel;
        Arrays.sort(all);
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Wiring w && gateChannel == w.gateChannel && Arrays.equals(bitChannels, w.bitChannels)
                && gateInput == w.gateInput && Arrays.equals(bitInputs, w.bitInputs) && groundInput == w.groundInput
                && wordLine0 == w.wordLine0 && bitLine0 == w.bitLine0 && sourceLine0 == w.sourceLine0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bitChannels) * 31 + gateChannel;
    }

    @Override
    public String toString() {
        return "Wiring[gate SMU " + gateChannel + " on input " + gateInput + ", bit SMUs " + Arrays.toString(bitChannels)
                + " on inputs " + Arrays.toString(bitInputs) + ", GNDU on input " + groundInput + ", WL0/BL0/SL0 at outputs "
                + wordLine0 + "/" + bitLine0 + "/" + sourceLine0 + "]";
    }
}
