package org.rramlab.learning.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.cli.learning.DriftBenchCommand;
import picocli.CommandLine;

/** `bench drift` refuses settings it cannot run, saying what was wrong, before it loads anything. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DriftBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void badSettingsAreRefusedWithTheReason() {
        assertRefused("--validation-images must lie in [100, 5000], got 50", "--validation-images", "50");
        assertRefused("--cadence must be positive and at most --days, got 0.0", "--cadence", "0");
        assertRefused("unknown policy 'fast'; choose from none, global-comp, column-comp, refresh-all, osa, full",
                "--policies", "osa,fast");
        assertRefused("--adc-bits must be 0 (exact) or 2..16, got 1", "--adc-bits", "1");
        assertRefused("--temperature is in degrees C and must lie in [-50, 300], got 400.0", "--temperature", "400");
        assertRefused("--osa-epochs must lie in [1, 50] and --calibration-images in [64, 20000]", "--osa-epochs", "0");
        assertRefused("--days must be positive, got -3.0", "--days", "-3");
        assertRefused("--deploy-epochs must lie in [1, 50] and --deploy-repair in [0, 0.2]", "--deploy-repair", "0.5");
        assertRefused("--deploy-epochs must lie in [1, 50] and --deploy-repair in [0, 0.2]", "--deploy-epochs", "0");
        assertRefused("--threshold must lie in [0, 10] points, got -1.0", "--threshold", "-1");
    }

    private void assertRefused(String message, String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            String[] all = new String[args.length + 2];
            all[0] = "--data-dir";
            all[1] = dir.toString();
            System.arraycopy(args, 0, all, 2, args.length);
            code = new CommandLine(new DriftBenchCommand()).execute(all);
        } finally {
            System.setErr(err);
        }
        assertEquals(2, code, String.join(" ", args));
        String said = captured.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains(message), "says '" + message + "', said: " + said);
    }
}
