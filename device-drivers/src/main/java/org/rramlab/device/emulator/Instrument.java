package org.rramlab.device.emulator;

/** One emulated instrument's message handling: a received line in, the reply out (null when none). */
interface Instrument {
    String handle(String line);

    /** A reply for a line the instrument could not handle because of an emulator fault. */
    String internalError(String why);
}
