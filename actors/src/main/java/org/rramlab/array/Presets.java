package org.rramlab.array;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.rramlab.device.DevicePreset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device presets a request may name: one shipped with rramlab (config/presets) or a file in
 * the data directory's {@code presets/} (POST /api/statistics/preset writes them there). Nothing
 * else on the server is read for a request, and a file that does not parse is refused without
 * quoting it (the node's log has the detail), so a preset cannot probe the server's files.
 */
public final class Presets {
    private static final Logger log = LoggerFactory.getLogger(Presets.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final String RULE = "give the name of a preset shipped with rramlab (" + DevicePreset.DEFAULT
            + ", config/presets) or of a file in the data directory's presets/ folder (POST /api/statistics/preset"
            + " writes them); no other file of the server is read";

    private Presets() {}

    /** The data directory of the node whose configuration this is, or null when it names none. */
    public static Path dataDir(com.typesafe.config.Config config) {
        return config.hasPath("rramlab.data-dir") ? Path.of(config.getString("rramlab.data-dir")) : null;
    }

    /**
     * What to store for a preset a request names: null for none (the default), a shipped name as it
     * is, a data-directory preset as the path of its file.
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    public static String resolve(String preset, Path dataDir) {
        if (preset == null) {
            return null;
        }
        boolean name = NAME.matcher(preset).matches() && !preset.endsWith(".conf");
        if (name && !ConfigFactory.parseResources("presets/" + preset + ".conf").isEmpty()) {
            return preset;
        }
        if (dataDir == null) {
            throw refused(preset);
        }
        Path folder = dataDir.resolve("presets").toAbsolutePath().normalize();
        Path file;
        if (name) {
            file = folder.resolve(preset + ".conf");
        } else if (preset.endsWith(".conf") && !preset.contains("\u0000")) {
            Path given = Path.of(preset);
            if (!given.isAbsolute()) {
                throw refused(preset);
            }
            file = given.normalize();
            if (!folder.equals(file.getParent())) {
                throw refused(preset);
            }
        } else {
            throw refused(preset);
        }
        try {
            // a link out of the folder is not in it
            if (!Files.isRegularFile(file) || !file.toRealPath().getParent().equals(folder.toRealPath())) {
                throw refused(preset);
            }
        } catch (IOException e) {
            throw refused(preset);
        }
        try {
            DevicePreset.load(file.toString());
        } catch (RuntimeException e) {
            log.warn("device preset {} does not load: {}", file, e.getMessage());
            throw new IllegalArgumentException("preset \"" + file.getFileName() + "\" in the data directory's presets/"
                    + " is not a usable device preset; fix or replace the file (the node's log says what is wrong)");
        }
        return file.toString();
    }

    private static IllegalArgumentException refused(String preset) {
        String shown = preset.length() > 80 ? preset.substring(0, 80) + "..." : preset;
        return new IllegalArgumentException("preset \"" + shown + "\" is not usable: " + RULE);
    }
}
