package org.rramlab.device;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A named device model: levels, variation, faults, read noise, drift and write-verify parameters.
 * Presets are HOCON files: {@code config/presets/NAME.conf} on the classpath, or any file path.
 */
public record DevicePreset(
        String name,
        String description,
        int levels,
        double gMaxSiemens,
        double onOffRatio,
        double variationSigma,
        double stuckAtHighFraction,
        double stuckAtLowFraction,
        double readNoiseRelative,
        Drift drift,
        WriteVerify writeVerify) {

    /**
     * How programmed conductances move with time ({@link org.rramlab.device.noise.DeviceNoise} computes it).
     * {@code law} "power-law": G = G_prog ((t + t0) / t0)^-nu, nu per device ~ N(mean(level), nuSigma).
     * {@code law} "filamentary": G = G_prog + Gmax L (m(x) + s(x) z), L = ln((t + t0) / t0), x = G_prog / Gmax,
     * z ~ N(0, 1) per device and programming: the mean relaxes by m(x) per unit of log time (linear from
     * {@code meanShiftAtGmin} to {@code meanShiftAtGmax}), the spread widens by s(x) = spread0 + spread1 x +
     * spread2 x^2 per unit of log time (both as shares of Gmax). The nu fields are unused by it.
     */
    public record Drift(String law, double t0Seconds, double nuMeanAtGmin, double nuMeanAtGmax, double nuSigma,
                        double activationEnergyEv, double referenceTemperatureKelvin, double meanShiftAtGmin,
                        double meanShiftAtGmax, double spread0, double spread1, double spread2) {
        public static final String POWER_LAW = "power-law";
        public static final String FILAMENTARY = "filamentary";

        public Drift {
            if (!POWER_LAW.equals(law) && !FILAMENTARY.equals(law)) {
                throw new IllegalArgumentException("invalid device preset: drift.law must be " + POWER_LAW + " or "
                        + FILAMENTARY + ", got '" + law + "'");
            }
        }

        /** The power law (presets and snapshots older than the filamentary law). */
        public Drift(double t0Seconds, double nuMeanAtGmin, double nuMeanAtGmax, double nuSigma,
                     double activationEnergyEv, double referenceTemperatureKelvin) {
            this(POWER_LAW, t0Seconds, nuMeanAtGmin, nuMeanAtGmax, nuSigma, activationEnergyEv,
                    referenceTemperatureKelvin, 0, 0, 0, 0, 0);
        }

        public boolean filamentary() {
            return FILAMENTARY.equals(law);
        }
    }

    public record WriteVerify(double toleranceRelative, int maxPulses, double pulseSeconds,
                              double stepSigmaFraction) {}

    public static final String DEFAULT = "dac2020-65nm";

    /**
     * The preset of a node's arrays when none is named (a simulated array drifts by it; a physical one takes
     * only its levels): the DAC 2020 device with the cited filamentary RRAM drift (decision 0043).
     * {@link #DEFAULT}, the same device with the power-law drift, stays the command-line tools' default.
     */
    public static final String NODE_DEFAULT = "dac2020-65nm-filamentary";

    public DevicePreset {
        require(levels >= 2, "levels must be at least 2, got " + levels);
        require(gMaxSiemens > 0, "g-max-siemens must be positive, got " + gMaxSiemens);
        require(onOffRatio > 1, "on-off-ratio must exceed 1, got " + onOffRatio);
        require(variationSigma >= 0, "variation-sigma must be >= 0, got " + variationSigma);
        require(stuckAtHighFraction >= 0 && stuckAtLowFraction >= 0
                        && stuckAtHighFraction + stuckAtLowFraction <= 1,
                "stuck-at fractions must be >= 0 and sum to at most 1");
        require(readNoiseRelative >= 0, "read-noise-relative must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid device preset: " + message);
        }
    }

    public double gMinSiemens() {
        return gMaxSiemens / onOffRatio;
    }

    /** Loads a preset by name from the classpath ({@code presets/NAME.conf}) or from a file path. */
    public static DevicePreset load(String nameOrPath) {
        Path path = Path.of(nameOrPath);
        Config config;
        if (nameOrPath.endsWith(".conf") && Files.isRegularFile(path)) {
            config = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } else {
            config = ConfigFactory.parseResources("presets/" + nameOrPath + ".conf");
            if (config.isEmpty()) {
                throw new IllegalArgumentException("unknown device preset '" + nameOrPath
                        + "': name a preset in config/presets (for example " + DEFAULT
                        + ") or the path of a .conf file");
            }
        }
        return fromConfig(config.resolve());
    }

    public static DevicePreset fromConfig(Config c) {
        try {
            Config d = c.getConfig("drift");
            Config w = c.getConfig("write-verify");
            return new DevicePreset(
                    c.getString("name"),
                    c.hasPath("description") ? c.getString("description") : "",
                    c.getInt("levels"),
                    c.getDouble("g-max-siemens"),
                    c.getDouble("on-off-ratio"),
                    c.getDouble("variation-sigma"),
                    c.getDouble("stuck-at-high-fraction"),
                    c.getDouble("stuck-at-low-fraction"),
                    c.getDouble("read-noise-relative"),
                    new Drift(d.hasPath("law") ? d.getString("law") : Drift.POWER_LAW, d.getDouble("t0-seconds"),
                            d.hasPath("nu-mean-at-gmin") ? d.getDouble("nu-mean-at-gmin") : 0,
                            d.hasPath("nu-mean-at-gmax") ? d.getDouble("nu-mean-at-gmax") : 0,
                            d.hasPath("nu-sigma") ? d.getDouble("nu-sigma") : 0,
                            d.getDouble("activation-energy-ev"), d.getDouble("reference-temperature-kelvin"),
                            optional(d, "mean-shift-at-gmin"), optional(d, "mean-shift-at-gmax"),
                            optional(d, "spread-0"), optional(d, "spread-1"), optional(d, "spread-2")),
                    new WriteVerify(w.getDouble("tolerance-relative"), w.getInt("max-pulses"),
                            w.getDouble("pulse-seconds"), w.getDouble("step-sigma-fraction")));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid device preset: " + e.getMessage(), e);
        }
    }

    private static double optional(Config c, String key) {
        return c.hasPath(key) ? c.getDouble(key) : 0;
    }

    /** The preset as HOCON text, the same form {@link #load} reads. */
    public String toHocon() {
        return String.format(java.util.Locale.ROOT, """
                name = "%s"
                description = "%s"
                levels = %d
                g-max-siemens = %s
                on-off-ratio = %s
                variation-sigma = %s
                stuck-at-high-fraction = %s
                stuck-at-low-fraction = %s
                read-noise-relative = %s
                drift {
                  law = "%s"
                  t0-seconds = %s
                  nu-mean-at-gmin = %s
                  nu-mean-at-gmax = %s
                  nu-sigma = %s
                  activation-energy-ev = %s
                  reference-temperature-kelvin = %s
                  mean-shift-at-gmin = %s
                  mean-shift-at-gmax = %s
                  spread-0 = %s
                  spread-1 = %s
                  spread-2 = %s
                }
                write-verify {
                  tolerance-relative = %s
                  max-pulses = %d
                  pulse-seconds = %s
                  step-sigma-fraction = %s
                }
                """, name, description.replace("\"", "'"), levels, gMaxSiemens, onOffRatio, variationSigma,
                stuckAtHighFraction, stuckAtLowFraction, readNoiseRelative,
                drift.law, drift.t0Seconds, drift.nuMeanAtGmin, drift.nuMeanAtGmax, drift.nuSigma,
                drift.activationEnergyEv, drift.referenceTemperatureKelvin, drift.meanShiftAtGmin,
                drift.meanShiftAtGmax, drift.spread0, drift.spread1, drift.spread2,
                writeVerify.toleranceRelative, writeVerify.maxPulses, writeVerify.pulseSeconds,
                writeVerify.stepSigmaFraction);
    }

    /** This preset with fitted statistics in place of the variation and fault values. */
    public DevicePreset withFit(String newName, String newDescription, double sigma, double stuckHigh, double stuckLow) {
        return new DevicePreset(newName, newDescription, levels, gMaxSiemens, onOffRatio, sigma, stuckHigh, stuckLow,
                readNoiseRelative, drift, writeVerify);
    }

    /**
     * Writes the preset as a HOCON file that {@link #load} reads back (give the path, or put it in
     * config/presets/ to load it by name). Parent folders are created.
     */
    public Path writeTo(Path file) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String header = "# Device preset " + name + ", written by rramlab.\n";
        return Files.writeString(file, header + toHocon(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
