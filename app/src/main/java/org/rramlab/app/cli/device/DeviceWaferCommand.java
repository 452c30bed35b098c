package org.rramlab.app.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.DeviceException;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.characterize.CharacterizeReport;
import org.rramlab.device.characterize.Characterizer;
import org.rramlab.device.characterize.DieDrift;
import org.rramlab.device.characterize.WaferReport;
import org.rramlab.device.scpi.DieStep;
import org.rramlab.device.scpi.LinkOptions;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.scpi.VeloxProber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Wafer-level characterization: the prober steps over the wafer map's dies (by number, so skipped
 * positions are never visited), each die is characterized through the instruments, and every die's
 * result is appended to a JSON-lines file as soon as it is done. A run that stops (a crash, a lost
 * prober link) is started again with the same file and goes on at the die it stopped at; the
 * per-wafer statistics and the wafer map are printed from the whole file.
 */
@Command(name = "wafer", mixinStandardHelpOptions = true,
        description = {"Characterize every die of the prober's wafer map through the instruments, one JSON line per die in",
                "--out (resumable: dies already in the file are skipped), then print per-wafer statistics and the map."})
public class DeviceWaferCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    StationOptions station = new StationOptions();

    @Mixin
    ArrayOptions device = new ArrayOptions(16, 16);

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "per-die results, one JSON object per line (appended)")
    Path outFile;

    @Option(names = "--write-verify", description = "program with write-verify")
    boolean writeVerify;

    @Option(names = "--drift-reads", split = ",", paramLabel = "SECONDS", defaultValue = "0,2,6",
            description = {"after programming a die, read it again at these wall seconds after the programming ended and fit",
                    "the drift law per die (at least two; 'none' to skip) (default: ${DEFAULT-VALUE})"})
    List<String> driftReads;

    @Option(names = "--time-scale", defaultValue = "1", description = {"device seconds per wall second for the drift ages: 1 on a",
            "station, the emulator's --time-scale on an emulator (default: ${DEFAULT-VALUE})"})
    double timeScale;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!station.given() || station.prober == null) {
                throw new IllegalArgumentException("give the station: --analyzer, --matrix (or --board) and --prober");
            }
            DevicePreset p = device.load();
            double[] waits = driftWaits();
            List<JsonNode> done = read(outFile);
            TreeSet<Integer> doneDies = new TreeSet<>();
            for (JsonNode d : done) doneDies.add(d.path("die").asInt());
            int lastDie;
            try (VeloxProber prober = new VeloxProber(station.addresses().prober(), LinkOptions.defaults(),
                    VeloxProber.Settings.defaults(), org.rramlab.device.visa.Transports::open)) {
                DieStep first = prober.stepFirstDie();
                if (first instanceof DieStep.EndOfWafer) {
                    throw new DeviceException("the prober's wafer map has no die; load a map with a route");
                }
                lastDie = prober.mapPosition()[7];
            }
            if (!doneDies.isEmpty()) {
                err.println("rramlab device wafer: " + doneDies.size() + " die(s) already in " + outFile + " " + doneDies
                        + "; going on with the others");
            }
            for (int die = 0; die <= lastDie; die++) {
                if (doneDies.contains(die)) {
                    continue;
                }
                PhysicalArray.Options o = station.options(p, device.rows, device.cols).withDie(die);
                try (PhysicalArray array = new PhysicalArray("die-" + die, device.rows, device.cols, station.addresses(), o)) {
                    AsyncOps.await(array.health());
                    int[] pos = array.prober().mapPosition();
                    Characterizer.Timed timed = Characterizer.runTimed(array, p, writeVerify);
                    CharacterizeReport report = timed.report();
                    DieDrift drift = waits.length == 0 ? null : DieDrift.measure(array, p, timed.levels(), timed.programStart(),
                            timed.programEnd(), waits, timeScale, DieDrift.Clock.SYSTEM);
                    ObjectNode line = JSON.createObjectNode();
                    line.put("die", die);
                    line.put("column", pos[0]);
                    line.put("row", pos[1]);
                    line.put("last_die", lastDie);
                    line.put("identity", array.identity());
                    line.put("wall_seconds", report.wallSeconds());
                    line.set("report", report.toJson());
                    if (drift != null) {
                        line.set("drift", drift.toJson());
                    }
                    append(outFile, line);
                    done.add(line);
                    err.println("rramlab device wafer: die " + die + " (column " + pos[0] + ", row " + pos[1] + ") done in "
                            + String.format(java.util.Locale.ROOT, "%.1f s", report.wallSeconds()));
                    array.prober().moveChuckSeparation();
                }
            }
            List<WaferReport.Die> dies = new ArrayList<>();
            for (JsonNode d : done) dies.add(WaferReport.die(d));
            out.print(WaferReport.table(dies));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("rramlab device wafer: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("rramlab device wafer: interrupted; run the same command again to go on at this die");
            return 1;
        } catch (DeviceException | IOException e) {
            err.println("rramlab device wafer: " + e.getMessage() + "; run the same command again to go on at this die");
            return 1;
        }
    }

    private double[] driftWaits() {
        if (driftReads == null || driftReads.isEmpty() || (driftReads.size() == 1 && driftReads.get(0).equalsIgnoreCase("none"))) {
            return new double[0];
        }
        double[] w = new double[driftReads.size()];
        for (int i = 0; i < w.length; i++) {
            try {
                w[i] = Double.parseDouble(driftReads.get(i).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--drift-reads takes wall seconds like 0,2,6 or 'none', got '" + driftReads.get(i) + "'");
            }
            if (!(w[i] >= 0) || (i > 0 && w[i] <= w[i - 1])) {
                throw new IllegalArgumentException("--drift-reads must be increasing seconds >= 0, got " + driftReads);
            }
        }
        if (w.length < 2) {
            throw new IllegalArgumentException("--drift-reads needs at least two reads for a drift law (or 'none'), got " + driftReads);
        }
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("--time-scale must be > 0, got " + timeScale);
        }
        return w;
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readTree(l));
            } catch (IOException torn) {
                // the last line of a run killed while writing: that die is characterized again
            }
        }
        return out;
    }

    private static void append(Path file, JsonNode line) throws IOException {
        boolean torn = false;
        if (Files.exists(file) && Files.size(file) > 0) {
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
                f.seek(f.length() - 1);
                torn = f.read() != '\n'; // a line cut by a crash: start on a fresh line
            }
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            if (torn) {
                w.write('\n');
            }
            w.write(line.toString());
            w.write('\n');
        }
    }
}
