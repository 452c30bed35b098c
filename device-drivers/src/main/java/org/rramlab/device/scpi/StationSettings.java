package org.rramlab.device.scpi;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;

/**
 * What an operator sets for a probe station (config {@code rramlab.array.station}, every key
 * optional): the cabling, the read and programming biases, and the instruments' timings.
 */
public record StationSettings(int bitSmus, Duration settle, Duration measureTimeout, Duration motionTimeout,
                              double heaterTolerance, int heaterStableReads, Duration heaterPoll, Duration heaterMaxWait,
                              double readVolts, double gateReadVolts, double setVolts, Duration pulseWidth,
                              SwitchMatrix.Model matrixModel, int matrixCards, SwitchMatrix.Mode matrixMode, int portmapperPort,
                              String stationFile) {
    public StationSettings {
        if (bitSmus < 1 || bitSmus > 9) {
            throw new IllegalArgumentException("station.bit-smus must be 1..9 (the B1500 has 10 SMU slots, one is the gate), got " + bitSmus);
        }
        if (!(Math.abs(readVolts) > 0 && Math.abs(readVolts) <= 1) || !(setVolts > 0 && setVolts <= 10)) {
            throw new IllegalArgumentException("station.read-volts must be 0 < |V| <= 1 and station.set-volts 0 < V <= 10");
        }
        if (matrixCards < 1 || matrixCards > 4 || heaterStableReads < 1) {
            throw new IllegalArgumentException("station.matrix-cards must be 1..4 and station.heater-stable-reads at least 1");
        }
    }

    public static StationSettings defaults() {
        PhysicalArray.Options o = PhysicalArray.Options.defaults(
                org.rramlab.device.DevicePreset.load(org.rramlab.device.DevicePreset.DEFAULT), 1, 1);
        VeloxProber.Settings p = o.prober();
        return new StationSettings(4, o.settle(), o.analyzer().measureTimeout(), p.motionTimeout(), p.heaterTolerance(),
                p.heaterStableReads(), p.heaterPoll(), p.heaterMaxWait(), o.readVolts(), o.gateReadVolts(), o.setVolts(),
                Duration.ofNanos(Math.round(o.pulseSeconds() * 1e9)), o.matrix().model(), o.matrix().cards(), o.matrix().mode(), 111,
                null);
    }

    /** From the {@code station} block; missing keys keep their defaults. */
    public static StationSettings from(Config c) {
        StationSettings d = defaults();
        return new StationSettings(
                c.hasPath("bit-smus") ? c.getInt("bit-smus") : d.bitSmus(),
                c.hasPath("settle") ? c.getDuration("settle") : d.settle(),
                c.hasPath("measure-timeout") ? c.getDuration("measure-timeout") : d.measureTimeout(),
                c.hasPath("motion-timeout") ? c.getDuration("motion-timeout") : d.motionTimeout(),
                c.hasPath("heater-tolerance") ? c.getDouble("heater-tolerance") : d.heaterTolerance(),
                c.hasPath("heater-stable-reads") ? c.getInt("heater-stable-reads") : d.heaterStableReads(),
                c.hasPath("heater-poll") ? c.getDuration("heater-poll") : d.heaterPoll(),
                c.hasPath("heater-max-wait") ? c.getDuration("heater-max-wait") : d.heaterMaxWait(),
                c.hasPath("read-volts") ? c.getDouble("read-volts") : d.readVolts(),
                c.hasPath("gate-read-volts") ? c.getDouble("gate-read-volts") : d.gateReadVolts(),
                c.hasPath("set-volts") ? c.getDouble("set-volts") : d.setVolts(),
                c.hasPath("pulse-width") ? c.getDuration("pulse-width") : d.pulseWidth(),
                c.hasPath("matrix-model") ? model(c.getString("matrix-model")) : d.matrixModel(),
                c.hasPath("matrix-cards") ? c.getInt("matrix-cards") : d.matrixCards(),
                c.hasPath("matrix-mode") ? mode(c.getString("matrix-mode")) : d.matrixMode(),
                c.hasPath("portmapper-port") ? c.getInt("portmapper-port") : d.portmapperPort(),
                c.hasPath("file") && !c.getString("file").isBlank() ? c.getString("file") : null);
    }

    private static SwitchMatrix.Model model(String s) {
        try {
            return SwitchMatrix.Model.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("station.matrix-model must be B2200A or E5250A, got '" + s + "'", e);
        }
    }

    private static SwitchMatrix.Mode mode(String s) {
        try {
            return SwitchMatrix.Mode.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("station.matrix-mode must be auto or normal, got '" + s + "'", e);
        }
    }

    /**
     * The matrix and the cabling of an array of this shape: from the station file when one is
     * given (it is read and checked here, so a wrong file fails at start), else the standard
     * wiring on the declared matrix.
     */
    public StationFile station(int rows, int cols) {
        StationFile f = stationFile != null ? StationFile.load(java.nio.file.Path.of(stationFile))
                : new StationFile("rramlab.array.station", new SwitchMatrix.Layout(matrixModel, matrixCards, matrixMode),
                        Wiring.standard(rows, cols, bitSmus, matrixModel), rows, cols);
        return f;
    }

    /** The options of an array of this shape on this station. */
    public PhysicalArray.Options apply(PhysicalArray.Options o, int rows, int cols, LinkOptions link, Duration operationTimeout) {
        LinkOptions l = link.withPortmapperPort(portmapperPort);
        ParameterAnalyzer.Settings a = o.analyzer();
        StationFile station = station(rows, cols);
        return new PhysicalArray.Options(o.preset(), o.die(), o.mode(), station.wiring(), o.curve(), readVolts,
                gateReadVolts, o.complianceAmps(), setVolts, pulseWidth.toNanos() / 1e9, o.statusRetries(), operationTimeout, l, l,
                new ParameterAnalyzer.Settings(a.format(), a.adcType(), a.adcMode(), a.adcValue(), measureTimeout),
                new VeloxProber.Settings(motionTimeout, heaterTolerance, heaterStableReads, heaterPoll, heaterMaxWait),
                station.matrix(), settle, o.opener());
    }
}
