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
 * (the B1500 GNDU, cabled to a matrix input). Outputs are numbered across the matrix, 1..12 x
 * cards; {@link SwitchMatrix.Layout#channel} turns one into the instrument's channel (card 0 and
 * the same number in auto mode; card (n - 1) / 12 + 1, output (n - 1) % 12 + 1 in normal mode).
 * The inputs are the mainframe's, common to all cards.
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
     * 2..k+1, GNDU on input 12 (the B2200A's default ground port); outputs WL 0.. from 1, then
     * BL 0.., then SL 0...
     */
    public static Wiring standard(int rows, int cols, int bitSmus) {
        return standard(rows, cols, bitSmus, 12);
    }

    /** The default cabling with the GNDU on {@code groundInput} (10 on an E5250A, which has 10 inputs). */
    public static Wiring standard(int rows, int cols, int bitSmus, int groundInput) {
        int[] chs = new int[bitSmus];
        int[] ins = new int[bitSmus];
        for (int i = 0; i < bitSmus; i++) {
            chs[i] = 2 + i;
            ins[i] = 2 + i;
        }
        return new Wiring(1, chs, 1, ins, groundInput, 1, 1 + rows, 1 + rows + cols);
    }

    /** The standard cabling for a matrix model: the GNDU on the last input the model has, at most 12. */
    public static Wiring standard(int rows, int cols, int bitSmus, SwitchMatrix.Model model) {
        return standard(rows, cols, bitSmus, Math.min(12, model.inputs()));
    }

    /**
     * Refuses a wiring no matrix of this layout can have, or that cannot reach an R x C array,
     * with an error naming the limit: inputs beyond the model's, an input used twice, SMU lines
     * beyond the matrix's outputs (12 per card), line groups that overlap.
     */
    public void check(int rows, int cols, SwitchMatrix.Layout layout) {
        int inputs = layout.model().inputs();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        int[] all = Arrays.copyOf(bitInputs, bitInputs.length + 2);
        all[bitInputs.length] = gateInput;
        all[bitInputs.length + 1] = groundInput;
        for (int in : all) {
            if (in < 1 || in > inputs) {
                throw new IllegalArgumentException("matrix input " + in + " does not exist: a " + layout.model() + " has inputs 1.."
                        + inputs + "; cable the SMUs and the GNDU to inputs within that range");
            }
            if (!used.add(in)) {
                throw new IllegalArgumentException("matrix input " + in + " is given to two of the gate SMU, bit SMUs and GNDU; "
                        + "each needs its own input");
            }
        }
        int last = Math.max(wordLine0 + rows - 1, Math.max(bitLine0 + cols - 1, sourceLine0 + rows - 1));
        if (last > layout.outputs()) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " array needs matrix outputs up to " + last + " but "
                    + layout.cards() + " card(s) of " + SwitchMatrix.OUTPUTS_PER_CARD + " outputs have " + layout.outputs()
                    + " (2 x rows + cols must be at most " + layout.outputs() + " with the standard wiring); add cards, or use "
                    + "an array board (docs/instruments.md) for arrays larger than a matrix reaches");
        }
        if (wordLine0 < 1 || bitLine0 < 1 || sourceLine0 < 1) {
            throw new IllegalArgumentException("matrix outputs start at 1; got word lines at " + wordLine0 + ", bit lines at "
                    + bitLine0 + ", source lines at " + sourceLine0);
        }
        if (overlap(wordLine0, rows, bitLine0, cols) || overlap(wordLine0, rows, sourceLine0, rows)
                || overlap(bitLine0, cols, sourceLine0, rows)) {
            throw new IllegalArgumentException("the word lines (outputs " + wordLine0 + ".." + (wordLine0 + rows - 1) + "), bit lines ("
                    + bitLine0 + ".." + (bitLine0 + cols - 1) + ") and source lines (" + sourceLine0 + ".." + (sourceLine0 + rows - 1)
                    + ") of a " + rows + "x" + cols + " array overlap: two lines would share a matrix output");
        }
    }

    private static boolean overlap(int a0, int an, int b0, int bn) {
        return a0 < b0 + bn && b0 < a0 + an;
    }

    /** The relays that connect row r and bit lines col0..col0+n-1 (n at most the bit SMUs). */
    public List<SwitchMatrix.Channel> relays(SwitchMatrix.Layout layout, int row, int col0, int n) {
        List<SwitchMatrix.Channel> out = new ArrayList<>(n + 2);
        out.add(layout.channel(gateInput, wordLine0 + row));
        out.add(layout.channel(groundInput, sourceLine0 + row));
        for (int j = 0; j < n; j++) {
            out.add(layout.channel(bitInputs[j], bitLine0 + col0 + j));
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
