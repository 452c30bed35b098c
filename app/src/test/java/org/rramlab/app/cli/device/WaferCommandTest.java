package org.rramlab.app.cli.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.StationEmulator;

/** Wafer-level characterization over the emulator's 2-D map with skipped positions, resumed after a stop. */
@Timeout(300)
class WaferCommandTest {
    @Test
    void everyDieOfTheMapIsCharacterizedOnceAndARunGoesOnWhereItStopped(@TempDir Path dir) throws Exception {
        DevicePreset p = DevicePreset.load(DevicePreset.DEFAULT);
        Path out = dir.resolve("wafer.jsonl");
        // 5 dies on a 3 x 3 map: corners off the wafer, so the dies sit at (1,0), (0,1), (1,1), (2,1), (1,2)
        try (StationEmulator e = new StationEmulator(StationEmulator.Config.of(p, 4, 4, 5, 7, FaultSpec.NONE)).start()) {
            String[] args = {"--analyzer", e.analyzerAddress(), "--matrix", e.matrixAddress(), "--prober", e.proberAddress(),
                    "--rows", "4", "--cols", "4", "--settle-ms", "0", "--drift-reads", "0,0.2,0.4", "--out", out.toString()};
            CommandsTest.Run first = CommandsTest.run(new DeviceWaferCommand(), args);
            assertEquals(0, first.code(), first.err());
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertEquals(5, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(4).startsWith("{\"die\":4,\"column\":1,\"row\":2,"), lines.get(4));
            assertTrue(first.out().contains("wafer: 5 die(s) characterized"), first.out());
            assertTrue(first.out().contains("wafer map"), first.out());
            // every die carries its drift law (three reads after programming), the wafer its spread across dies
            for (String l : lines) {
                assertTrue(l.contains("\"drift\":{\"law\":\"power-law\"") && l.contains("\"nu_at_gmax\":"), l);
            }
            assertTrue(first.out().contains("drift law G = G0 ((t + t0) / t0)^-nu over 5 die(s)"), first.out());

            // a run that stopped after three dies (the last line torn by the crash) goes on at die 3
            Files.write(out, (String.join("\n", lines.subList(0, 3)) + "\n{\"die\":3,\"col").getBytes(StandardCharsets.UTF_8));
            long motions = e.motions();
            CommandsTest.Run again = CommandsTest.run(new DeviceWaferCommand(), args);
            assertEquals(0, again.code(), again.err());
            assertTrue(again.err().contains("3 die(s) already in"), again.err());
            List<String> resumed = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertEquals(6, resumed.size(), "3 kept, the torn line, dies 3 and 4");
            assertTrue(resumed.get(4).startsWith("{\"die\":3,") && resumed.get(5).startsWith("{\"die\":4,"), String.join("\n", resumed));
            // StepFirstDie, then for each of the two dies a step, a contact and a separation
            assertEquals(1 + 2 * 3, e.motions() - motions);
        }
    }
}
