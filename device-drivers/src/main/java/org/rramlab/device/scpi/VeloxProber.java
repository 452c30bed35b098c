package org.rramlab.device.scpi;

import java.time.Duration;
import java.util.Locale;
import org.rramlab.device.DeviceException;
import org.rramlab.device.visa.Transports;
import org.rramlab.device.visa.VisaAddress;

/**
 * Driver of a FormFactor prober through the Velox message server (SCI commands, Velox "SCI
 * Command Reference"), one address (normally {@code TCPIP0::host::1412::SOCKET}).
 *
 * <p>Every command carries an id and its reply is the one with the same id; a stale reply (of a
 * command that timed out) is skipped. On connect the driver registers as an application
 * ({@code RegisterProberApp}).
 *
 * <p>Motion is never re-issued blindly: a step or a chuck move that times out or loses its reply
 * is followed by reading where the prober is ({@code ReadMapPosition2}, {@code ReadChuckPosition},
 * {@code ReadChuckHeights}); only if it did not get there is the move sent once more.
 */
public final class VeloxProber implements AutoCloseable {
    /**
     * @param motionTimeout   longest wait for a step or chuck move
     * @param heaterTolerance kelvin from the set point counted as there
     * @param heaterStableReads consecutive readings within the tolerance that count as stable
     * @param heaterPoll      time between heater readings
     * @param heaterMaxWait   longest wait for the heater to become stable
     */
    public record Settings(Duration motionTimeout, double heaterTolerance, int heaterStableReads, Duration heaterPoll,
                           Duration heaterMaxWait) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(120), 0.5, 3, Duration.ofSeconds(2), Duration.ofHours(1));
        }
    }

    private static final String NAME = "prober";
    private final ScpiSession session;
    private final Settings settings;
    private int nextId;
    private long motionRechecks;

    public VeloxProber(VisaAddress address, LinkOptions options, Settings settings, Transports.Opener opener) {
        this.settings = settings;
        this.session = new ScpiSession(NAME, address, options, opener);
        session.onConnect(link -> {
            link.send("FCN=1:RegisterProberApp:rramlab rramlab 0");
            String raw = link.readLine("RegisterProberApp", options.commandTimeout());
            VeloxReplies.Reply r = VeloxReplies.parse(raw, "RegisterProberApp");
            if (r.code() != 0) {
                throw new InstrumentErrorException(NAME, "RegisterProberApp", r.code(), r.values());
            }
        });
    }

    public ScpiSession session() {
        return session;
    }

    /** Times a timed-out or lost motion was checked by reading the prober's position. */
    public synchronized long motionRechecks() {
        return motionRechecks;
    }

    private synchronized int id() {
        nextId = nextId % 999 + 1;
        return nextId;
    }

    /** Sends one SCI command and returns its reply (code 0, or 703 when allowed). */
    private VeloxReplies.Reply exchange(ScpiSession.Link link, String name, String parameters, Duration timeout,
                                        boolean endOfWaferAllowed) {
        int id = id();
        String command = name + (parameters.isEmpty() ? "" : " " + parameters);
        link.send(VeloxReplies.command(id, name, parameters));
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int skipped = 0; ; skipped++) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            String raw = link.readLine(command, Duration.ofMillis(left));
            VeloxReplies.Reply r = VeloxReplies.parse(raw, command);
            if (r.id() != id) {
                if (skipped > 16) {
                    throw new MalformedReplyException(raw, "the reply with id " + id + " to '" + command + "'");
                }
                continue; // the late reply of an earlier command
            }
            if (r.code() == VeloxReplies.OK || (endOfWaferAllowed && r.code() == VeloxReplies.END_OF_WAFER)) {
                return r;
            }
            throw new InstrumentErrorException(NAME, command, r.code(), r.values());
        }
    }

    private VeloxReplies.Reply query(String name, String parameters) {
        return session.call(name, link -> exchange(link, name, parameters, session.options().commandTimeout(), false));
    }

    private static DieStep step(VeloxReplies.Reply r, String command) {
        if (r.code() == VeloxReplies.END_OF_WAFER) {
            return new DieStep.EndOfWafer();
        }
        int[] v = VeloxReplies.ints(r, 4, r.format(), command);
        return new DieStep.AtDie(v[0], v[1], v[2], v[3]);
    }

    /**
     * ReportKernelVersion: the prober's identity as the message server tells it (its kernel version
     * and description), the counterpart of *IDN? for the other instruments.
     */
    public String identify() {
        VeloxReplies.Reply r = query("ReportKernelVersion", "");
        String v = r.values() == null ? "" : r.values().trim();
        if (v.isEmpty() || !v.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new MalformedReplyException(r.format(), "a version and description in reply to ReportKernelVersion");
        }
        return v;
    }

    /** StepFirstDie ClearBins RecalcRoute: to the first die of the wafer map's route. */
    public DieStep stepFirstDie() {
        return moveThenCheck("StepFirstDie", "0 1", pos -> pos[6] == 0, "the first die");
    }

    /** StepToDie DieNumber: to die number {@code die} of the wafer map (its route's numbering). */
    public DieStep stepToDie(int die) {
        if (die < 0) {
            throw new IllegalArgumentException("die number must be >= 0, got " + die);
        }
        return moveThenCheck("StepToDie", Integer.toString(die), pos -> pos[6] == die, "die " + die);
    }

    /** StepNextDie Column Row: to the die at map column {@code col}, row {@code row}. */
    public DieStep stepToColumnRow(int col, int row) {
        return moveThenCheck("StepNextDie", col + " " + row, pos -> pos[0] == col && pos[1] == row,
                "column " + col + ", row " + row);
    }

    /** StepNextDie with no parameters: the next die of the route. Not re-issued: on a timeout the position is only read. */
    public DieStep stepNextDie() {
        try {
            return step(session.callOnce("StepNextDie", link -> exchange(link, "StepNextDie", "", settings.motionTimeout(), true)),
                    "StepNextDie");
        } catch (LinkException | MalformedReplyException e) {
            noteRecheck();
            int[] pos = mapPosition();
            return new DieStep.AtDie(pos[0], pos[1], pos[4], pos[5]);
        }
    }

    /** Column, row, x, y, subsite, last subsite, die, last die (ReadMapPosition2). */
    public int[] mapPosition() {
        VeloxReplies.Reply r = query("ReadMapPosition2", "");
        double[] v = VeloxReplies.doubles(r, 8, r.format(), "ReadMapPosition2");
        int[] out = new int[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (int) Math.round(v[i]);
        }
        return out;
    }

    private DieStep moveThenCheck(String name, String parameters, java.util.function.Predicate<int[]> arrived, String target) {
        for (int attempt = 1; ; attempt++) {
            try {
                VeloxReplies.Reply r = session.callOnce(name, link -> exchange(link, name, parameters, settings.motionTimeout(), true));
                return step(r, name);
            } catch (LinkException | MalformedReplyException e) {
                noteRecheck();
                int[] pos = mapPosition(); // where the chuck really is decides
                if (arrived.test(pos)) {
                    return new DieStep.AtDie(pos[0], pos[1], pos[4], pos[5]);
                }
                if (attempt >= 2) {
                    throw new DeviceException("the prober did not reach " + target + " after '" + name + " " + parameters
                            + "' (it reports die " + pos[6] + " at column " + pos[0] + ", row " + pos[1] + "; last failure: "
                            + e.getMessage() + "); check the prober", e);
                }
            }
        }
    }

    private synchronized void noteRecheck() {
        motionRechecks++;
    }

    /** Chuck height (ReadChuckPosition Y Z D: microns from zero) and the contact and separation heights. */
    public double[] chuckHeights() {
        VeloxReplies.Reply p = query("ReadChuckPosition", "Y Z D");
        double z = VeloxReplies.doubles(p, 3, p.format(), "ReadChuckPosition")[2];
        VeloxReplies.Reply h = query("ReadChuckHeights", "Y");
        double[] v = VeloxReplies.doubles(h, 4, h.format(), "ReadChuckHeights");
        return new double[] {z, v[0], v[0] - v[3]};
    }

    public void moveChuckContact() {
        chuckMove("MoveChuckContact", 1);
    }

    public void moveChuckSeparation() {
        chuckMove("MoveChuckSeparation", 2);
    }

    private void chuckMove(String name, int heightIndex) {
        for (int attempt = 1; ; attempt++) {
            try {
                session.callOnce(name, link -> exchange(link, name, "", settings.motionTimeout(), false));
                return;
            } catch (LinkException | MalformedReplyException e) {
                noteRecheck();
                double[] h = chuckHeights();
                if (Math.abs(h[0] - h[heightIndex]) <= 1.0) {
                    return; // the move happened; only its reply was lost
                }
                if (attempt >= 2) {
                    throw new DeviceException("the chuck did not reach the " + (heightIndex == 1 ? "contact" : "separation")
                            + " height after '" + name + "' (z " + h[0] + " um); check the prober", e);
                }
            }
        }
    }

    /** Heater temperature in degrees C (GetHeaterTemp C). */
    public double heaterCelsius() {
        VeloxReplies.Reply r = query("GetHeaterTemp", "C");
        return VeloxReplies.doubles(r, 1, r.format(), "GetHeaterTemp")[0];
    }

    /** SetHeaterTemp T C, then GetHeaterTemp until the reading stays within the tolerance. */
    public void setHeaterCelsius(double celsius) {
        if (!(celsius >= -60 && celsius <= 400)) {
            throw new IllegalArgumentException("heater set point " + celsius + " C is outside -60..400 C");
        }
        String t = String.format(Locale.ROOT, "%.2f C", celsius);
        query("SetHeaterTemp", t);
        long deadline = System.nanoTime() + settings.heaterMaxWait().toNanos();
        int stable = 0;
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            last = heaterCelsius();
            stable = Math.abs(last - celsius) <= settings.heaterTolerance() ? stable + 1 : 0;
            if (stable >= settings.heaterStableReads()) {
                return;
            }
            SwitchMatrix.sleep(settings.heaterPoll());
        }
        throw new DeviceException("the chuck heater did not settle at " + celsius + " C within " + settings.heaterMaxWait()
                + " (last reading " + last + " C); check the heater and its controller");
    }

    @Override
    public void close() {
        session.close();
    }
}
