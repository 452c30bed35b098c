package org.rramlab.device.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.scpi.SwitchMatrix;
import org.rramlab.device.scpi.Wiring;
import org.rramlab.device.visa.Transport;
import org.rramlab.device.visa.Transports;
import org.rramlab.device.visa.VisaAddress;

/**
 * Stands in for the network: the drivers' transports are connected, in memory, to emulated
 * instruments, and every line each driver sends (and what comes back) is recorded. Nothing
 * outside this process is touched; the recorded sequence is the exact one the drivers would
 * send to real instruments in the same state.
 */
public final class DryRun {
    private final Station station;
    private final Map<String, Instrument> byResource;
    private final Map<String, String> roleOf;
    private final List<String> log = new ArrayList<>();
    private final Object lock = new Object();

    public DryRun(DevicePreset preset, int rows, int cols, Wiring wiring, SwitchMatrix.Layout matrix, String analyzer, String router,
                  boolean board, String prober) {
        this.station = new Station(preset, rows, cols, 1, 1, wiring, 1e6, 0);
        FaultInjector none = new FaultInjector(FaultSpec.NONE, 1);
        Instrument routerInstrument = board ? new BoardEmulation(station)
                : new MatrixEmulation(station, matrix.cards(), matrix.model() == SwitchMatrix.Model.E5250A, 0, 1);
        this.byResource = Map.of(analyzer, new AnalyzerEmulation(station, none, 1, null), router, routerInstrument,
                prober, new VeloxEmulation(station, null));
        this.roleOf = Map.of(analyzer, "analyzer", router, board ? "board" : "matrix", prober, "prober");
    }

    /** The commands recorded since the last call, one per line, prefixed with the instrument. */
    public List<String> take() {
        synchronized (lock) {
            List<String> out = new ArrayList<>(log);
            log.clear();
            return out;
        }
    }

    public Transports.Opener opener() {
        return (address, settings) -> {
            Instrument instrument = byResource.get(address.resource());
            if (instrument == null) {
                throw new IllegalStateException("the dry run knows no instrument at " + address.resource());
            }
            return new Recorder(roleOf.get(address.resource()), instrument);
        };
    }

    private final class Recorder implements Transport {
        private final String role;
        private final Instrument instrument;
        private final ArrayDeque<String> replies = new ArrayDeque<>();

        Recorder(String role, Instrument instrument) {
            this.role = role;
            this.instrument = instrument;
        }

        @Override
        public void write(String text) {
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.isEmpty()) {
                    continue;
                }
                synchronized (lock) {
                    log.add(String.format("%-8s > %s", role, l));
                    String reply = instrument.handle(l);
                    if (reply != null) {
                        for (String r : reply.split("\n")) replies.add(r);
                    }
                }
            }
        }

        @Override
        public String readLine(Duration timeout, String command) {
            String r = replies.poll();
            if (r == null) {
                throw new org.rramlab.device.visa.TransportException("dry run: no reply to '" + command + "'", true, null);
            }
            synchronized (lock) {
                log.add(String.format("%-8s < %s", role, r));
            }
            return r;
        }

        @Override
        public void clear(Duration timeout) {
            replies.clear();
        }

        @Override
        public String where() {
            return "dry run " + role;
        }

        @Override
        public void close() {
            // nothing to close
        }
    }

    static VisaAddress parse(String s) {
        return VisaAddress.parse(s);
    }
}
