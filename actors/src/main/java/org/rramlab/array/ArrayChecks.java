package org.rramlab.array;

import org.rramlab.device.Block;
import org.rramlab.streaming.ProgrammedRecord;

/** The checks of an array's commands against what its registration says (shape, levels). */
final class ArrayChecks {
    private ArrayChecks() {}

    /** What is wrong with a programming of this array, or null. */
    static String program(ArrayState state, ArrayActor.Program p) {
        String block = block(state, p.block());
        if (block != null) {
            return block;
        }
        if ((p.levels() == null) == (p.targets() == null)) {
            return "give either levels or target conductances, not both or neither";
        }
        int n = p.levels() != null ? p.levels().length : p.targets().length;
        if (p.cells() != null) {
            String cells = cells(state, p.block(), p.cells());
            if (cells != null) {
                return cells;
            }
            if (n != p.cells().length) {
                return p.cells().length + " cells but " + n + " targets were given; give one target per cell";
            }
        } else if (n != p.block().cells()) {
            return "block " + p.block() + " has " + p.block().cells() + " cells but " + n + " targets were given";
        }
        int top = state.registration().levels() - 1;
        if (p.levels() != null) {
            for (int i = 0; i < n; i++) {
                if (p.levels()[i] < 0 || p.levels()[i] > top) {
                    return "level " + p.levels()[i] + " at position " + i + " is outside 0.." + top + "; give levels in that range";
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (!(p.targets()[i] > 0) || !Float.isFinite(p.targets()[i])) {
                    return "target " + p.targets()[i] + " S at position " + i + " is not a positive finite conductance";
                }
            }
        }
        return null;
    }

    /** What is wrong with single cells (row * cols + col) to program, or null: they lie in {@code block}, ascending. */
    private static String cells(ArrayState state, Block block, int[] cells) {
        int cols = state.registration().spec().cols();
        if (cells.length == 0) {
            return "no cells given; give at least one cell index (row * " + cols + " + column)";
        }
        for (int k = 0; k < cells.length; k++) {
            int row = cells[k] / cols;
            int col = cells[k] % cols;
            if (cells[k] < 0 || row < block.row0() || row >= block.row0() + block.rows() || col < block.col0()
                    || col >= block.col0() + block.cols()) {
                return "cell " + cells[k] + " is outside block " + block + "; give cells inside it";
            }
            if (k > 0 && cells[k] <= cells[k - 1]) {
                return "cells must be ascending and distinct, got " + cells[k - 1] + " before " + cells[k];
            }
        }
        return null;
    }

    /** The records of a programming on the topic: one for a block, one per cell for single cells. */
    static java.util.List<ProgrammedRecord> records(String arrayId, int arrayCols, ArrayEvent.Programmed e) {
        if (e.cells() == null) {
            byte[] levels = new byte[e.block().cells()];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = e.levels() != null ? (byte) e.levels()[i] : ProgrammedRecord.NO_LEVEL;
            }
            return java.util.List.of(new ProgrammedRecord(arrayId, e.sequence(), e.clockSeconds(), e.block(), levels));
        }
        java.util.List<ProgrammedRecord> out = new java.util.ArrayList<>();
        long first = e.sequence() - e.cells().length + 1;
        for (int k = 0; k < e.cells().length; k++) {
            Block cell = new Block(e.cells()[k] / arrayCols, e.cells()[k] % arrayCols, 1, 1);
            byte level = e.levels() != null ? (byte) e.levels()[k] : ProgrammedRecord.NO_LEVEL;
            out.add(new ProgrammedRecord(arrayId, first + k, e.clockSeconds(), cell, new byte[] {level}));
        }
        return out;
    }

    /** What is wrong with a block of this array, or null. */
    static String block(ArrayState state, Block block) {
        if (block == null) {
            return "no block given";
        }
        ArraySpec spec = state.registration().spec();
        return block.misfit(spec.rows(), spec.cols());
    }
}
