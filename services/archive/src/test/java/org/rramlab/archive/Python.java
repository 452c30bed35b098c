package org.rramlab.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs check_archive.py (h5py, pandas from Debian's python3-h5py, python3-pandas) and parses its JSON. */
public final class Python {
    private Python() {}

    /** Debian's interpreter, where python3-h5py installs; a python3 on the PATH otherwise. */
    public static String interpreter() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    public static JsonNode check(Path scratch, String what, Path target) throws IOException, InterruptedException {
        Path script = scratch.resolve("check_archive.py");
        if (!Files.exists(script)) {
            try (InputStream in = Python.class.getResourceAsStream("/check_archive.py")) {
                Files.copy(in, script);
            }
        }
        Process p = new ProcessBuilder(interpreter(), script.toString(), what, target.toString())
                .redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("check_archive.py did not finish in 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("check_archive.py " + what + " failed (install python3-h5py and"
                    + " python3-pandas; deploy/run-tests.sh does): " + out);
        }
        return new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
    }
}
