package org.rramlab.device.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.sim.TestPresets;

/**
 * Conformance by clients nobody here wrote: PyVISA with the pyvisa-py backend drives each
 * emulated instrument over raw sockets, and the analyzer and matrix over VXI-11. Without the
 * Debian packages the test fails and says what to install (it never skips).
 */
@Timeout(120)
class PyVisaConformanceTest {
    /** A Python that imports pyvisa and pyvisa_py: the Debian one first (pyenv shims may hide it). */
    static String python() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import pyvisa, pyvisa_py").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // try the next one
            }
        }
        fail("the PyVISA conformance test needs PyVISA with pyvisa-py: install the Debian packages python3-pyvisa and "
                + "python3-pyvisa-py (apt-get install python3-pyvisa python3-pyvisa-py; deploy/run-tests.sh does it when root)");
        return null;
    }

    @Test
    void pyvisaDrivesEveryEmulatorOverSocketAndVxi11(@TempDir Path dir) throws Exception {
        String python = python();
        Path script = dir.resolve("pyvisa_conformance.py");
        for (String name : java.util.List.of("pyvisa_conformance.py", "emulator_session.py")) {
            try (InputStream in = getClass().getResourceAsStream("/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        try (StationEmulator e = new StationEmulator(StationEmulator.Config.of(TestPresets.dac(), 4, 4, 2, 1, FaultSpec.NONE)
                .withVxi11()).start()) {
            Process p = new ProcessBuilder(python, script.toString(), String.valueOf(e.analyzerPort()), String.valueOf(e.matrixPort()),
                    String.valueOf(e.proberPort()), String.valueOf(e.portmapperPort())).redirectErrorStream(true).start();
            boolean done = p.waitFor(90, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
                fail("the PyVISA script did not finish in 90 s:\n" + out);
            }
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("all checks passed"), out);
        }
    }
}
