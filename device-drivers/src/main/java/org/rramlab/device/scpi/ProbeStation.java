package org.rramlab.device.scpi;

import java.util.Locale;

/**
 * Driver of a probe station in the style of FormFactor Velox: every command is answered
 * {@code <code>: <values>}. The wafer map of the emulator is one row of dies; die d is at
 * column d, row 0. The clock and temperature commands are emulator extensions (a thermal chuck
 * and the array's accelerated clock), see docs/device-layer.md.
 */
public final class ProbeStation implements AutoCloseable {
    private final ScpiSession session;

    public ProbeStation(String host, int port, LinkOptions options) {
        this.session = new ScpiSession("probe station", host, port, options);
    }

    public ScpiSession session() {
        return session;
    }

    private ProbeReplies.Reply call(String command, boolean endOfWaferAllowed) {
        return session.call(command, link -> {
            String raw = link.query(command);
            return ProbeReplies.expect(raw, command, endOfWaferAllowed);
        });
    }

    private DieStep step(String command) {
        return session.call(command, link -> {
            String raw = link.query(command);
            ProbeReplies.Reply r = ProbeReplies.expect(raw, command, true);
            if (r.code() == ProbeReplies.END_OF_WAFER) {
                return new DieStep.EndOfWafer();
            }
            int[] v = ProbeReplies.ints(r, 3, raw);
            return new DieStep.AtDie(v[0], v[1], v[2]);
        });
    }

    public DieStep stepFirstDie() {
        return step("StepFirstDie");
    }

    public DieStep stepNextDie() {
        return step("StepNextDie");
    }

    /** Steps to die {@code die} of the wafer map (StepNextDie with a die number). */
    public DieStep stepToDie(int die) {
        return step("StepNextDie " + die);
    }

    public void moveChuckContact() {
        call("MoveChuckContact", false);
    }

    public void moveChuckSeparation() {
        call("MoveChuckSeparation", false);
    }

    /** The array's clock in seconds and the chuck temperature in kelvin. */
    public double[] readArrayClock() {
        return session.call("ReadArrayClock", link -> {
            String raw = link.query("ReadArrayClock");
            return ProbeReplies.doubles(ProbeReplies.expect(raw, "ReadArrayClock", false), 2, raw);
        });
    }

    public void setChuckTemperature(double kelvin) {
        call(String.format(Locale.ROOT, "SetChuckTemperature %s", kelvin), false);
    }

    /**
     * Advances the emulated array's clock to an absolute time (no change if already later).
     * Absolute, so that re-issuing it after a lost reply cannot advance the clock twice.
     */
    public void advanceClockTo(double seconds) {
        call(String.format(Locale.ROOT, "AdvanceClockTo %s", seconds), false);
    }

    @Override
    public void close() {
        session.close();
    }
}
