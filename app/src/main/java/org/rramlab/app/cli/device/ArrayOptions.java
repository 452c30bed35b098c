package org.rramlab.app.cli.device;

import org.rramlab.device.DevicePreset;
import picocli.CommandLine.Option;

/**
 * The device preset and the array's size, as the device commands take them; each command gives
 * its own default size (a benchmark wants a large array, a dry run a small one).
 */
public class ArrayOptions {
    @Option(names = "--preset", defaultValue = DevicePreset.DEFAULT,
            description = "device preset: a name in config/presets or a .conf file (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--rows", description = "rows (of each die, for the emulator) (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--cols", description = "columns (default: ${DEFAULT-VALUE})")
    int cols;

    public ArrayOptions(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * The preset, once the size is checked.
     *
     * @throws IllegalArgumentException with what was wrong: a size that is not positive, an unknown preset
     */
    DevicePreset load() {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("--rows and --cols must be positive, got " + rows + "x" + cols);
        }
        return DevicePreset.load(preset);
    }
}
