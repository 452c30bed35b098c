package org.rramlab.device.emulator;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * An array board (docs/instruments.md, "Array board interface"): ROW r, COLS c0,n, OPEN,
 * *OPC?, SYST:ERR?, *IDN?. It routes the same lines a matrix would, with the station's wiring.
 */
final class BoardEmulation implements Instrument {
    private final Station station;
    private final ArrayDeque<String> errors = new ArrayDeque<>();
    private int row = -1;
    private int col0 = -1;
    private int width;

    BoardEmulation(Station station) {
        this.station = station;
    }

    @Override
    public String internalError(String why) {
        return null;
    }

    @Override
    public String handle(String line) {
        return CommandLine.replies(line, this::one);
    }

    /** One command of the line: its reply, or null (an error goes to the queue). */
    private String one(String c) {
        String upper = c.toUpperCase(Locale.ROOT);
        String reply = null;
        try {
            if (upper.equals("*IDN?")) {
                reply = "rramlab,array-board,EMU,1.0 (rramlab instrument emulator)";
            } else if (upper.equals("*OPC?")) {
                reply = "1";
            } else if (upper.equals("SYST:ERR?") || upper.equals(":SYST:ERR?")) {
                String e = errors.poll();
                reply = e == null ? "+0,\"No error\"" : e;
            } else if (upper.equals("OPEN")) {
                row = -1;
                apply();
            } else if (upper.startsWith("ROW ")) {
                int r = Integer.parseInt(c.substring(4).trim());
                if (r < 0 || r >= station.rows) {
                    throw new IllegalArgumentException();
                }
                row = r;
                apply();
            } else if (upper.startsWith("COLS ")) {
                String[] a = c.substring(5).split(",");
                int c0 = Integer.parseInt(a[0].trim());
                int n = Integer.parseInt(a[1].trim());
                if (c0 < 0 || n < 1 || n > station.wiring.bitInputs().length || c0 + n > station.cols) {
                    throw new IllegalArgumentException();
                }
                col0 = c0;
                width = n;
                apply();
            } else {
                errors.add("-113,\"Undefined header\"");
            }
        } catch (RuntimeException e) {
            errors.add("-222,\"Data out of range\"");
        }
        return reply;
    }

    private void apply() {
        station.relays.clear();
        if (row < 0 || col0 < 0) {
            return;
        }
        // a board has no matrix card limit: line keys as the station numbers them (input * 1000 + line output)
        var w = station.wiring;
        station.relays.add(w.gateInput() * 1000 + w.wordLine0() + row);
        station.relays.add(w.groundInput() * 1000 + w.sourceLine0() + row);
        for (int j = 0; j < width; j++) {
            station.relays.add(w.bitInputs()[j] * 1000 + w.bitLine0() + col0 + j);
        }
    }
}
