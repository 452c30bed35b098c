package org.rramlab.device.scpi;

import org.rramlab.device.visa.VisaAddress;

/**
 * One address per instrument of a probe station: the parameter analyzer, the cell router (a
 * switch matrix, or an array board when {@code board} is true) and the prober.
 */
public record StationAddresses(VisaAddress analyzer, VisaAddress router, boolean board, VisaAddress prober) {
    /** Parses three resource strings; a bad one fails naming which instrument it was for. */
    public static StationAddresses parse(String analyzer, String matrix, String board, String prober) {
        if ((matrix == null || matrix.isBlank()) == (board == null || board.isBlank())) {
            throw new IllegalArgumentException("give the address of either a switch matrix or an array board, not both or neither");
        }
        boolean isBoard = matrix == null || matrix.isBlank();
        return new StationAddresses(one("analyzer", analyzer), one(isBoard ? "board" : "matrix", isBoard ? board : matrix), isBoard,
                one("prober", prober));
    }

    private static VisaAddress one(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the " + what + " address is missing; give a VISA resource string such as "
                    + "TCPIP0::192.168.1.20::5025::SOCKET");
        }
        try {
            return VisaAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
