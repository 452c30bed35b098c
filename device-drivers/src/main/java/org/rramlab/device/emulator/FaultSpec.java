package org.rramlab.device.emulator;

import java.time.Duration;
import java.util.Locale;

/**
 * Faults the emulator injects, parsed from a spec such as {@code drop-every=5s,garble=0.001}.
 *
 * <pre>
 * spec     := "" | "none" | item ("," item)*
 * item     := "drop-every=" duration   close each connection once it is this old (at its next command)
 *           | "drop-after=" count      close each connection after this many commands
 *           | "delay=" duration        wait this long before every reply
 *           | "garble=" probability    replace 1..3 characters of a reply with bytes outside the reply alphabet
 *           | "compliance=" probability answer a measured value with status C (compliance)
 *           | "overflow=" probability  answer a measured value with status V and 199.999E+99
 *           | "half-open-after=" count after this many commands on a connection, answer nothing more and leave
 *                                      it open: a silent, half-open link
 * duration := number ("ms" | "s" | "m")
 * </pre>
 * A dropped connection loses the reply of the command that was running: the command itself has
 * taken effect, as when a real link breaks after the instrument acted.
 */
public record FaultSpec(Duration dropEvery, long dropAfter, Duration delay, double garble, double compliance,
                        double overflow, long halfOpenAfter) {
    public static final FaultSpec NONE = new FaultSpec(Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, 0);
    private static final String KEYS = "drop-every=DURATION, drop-after=COMMANDS, delay=DURATION, garble=P, "
            + "compliance=P, overflow=P, half-open-after=COMMANDS (DURATION like 500ms, 5s or 1m; P a probability in 0..1)";

    public boolean any() {
        return !equals(NONE);
    }

    public static FaultSpec parse(String spec) {
        if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("none")) {
            return NONE;
        }
        Duration dropEvery = Duration.ZERO;
        Duration delay = Duration.ZERO;
        long dropAfter = 0;
        long halfOpenAfter = 0;
        double garble = 0, compliance = 0, overflow = 0;
        for (String raw : spec.split(",")) {
            String item = raw.trim();
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw bad(item, "it is not KEY=VALUE");
            }
            String key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = item.substring(eq + 1).trim();
            switch (key) {
                case "drop-every" -> dropEvery = duration(item, value);
                case "delay" -> delay = duration(item, value);
                case "drop-after" -> {
                    try {
                        dropAfter = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw bad(item, "the count is not a whole number");
                    }
                    if (dropAfter < 1) {
                        throw bad(item, "the count must be at least 1");
                    }
                }
                case "half-open-after" -> {
                    halfOpenAfter = count(item, value);
                }
                case "garble" -> garble = probability(item, value);
                case "compliance" -> compliance = probability(item, value);
                case "overflow" -> overflow = probability(item, value);
                default -> throw bad(item, "unknown fault '" + key + "'");
            }
        }
        if (!dropEvery.isZero() && dropEvery.toMillis() < 10) {
            throw bad("drop-every", "it must be at least 10ms, or no command could ever complete");
        }
        return new FaultSpec(dropEvery, dropAfter, delay, garble, compliance, overflow, halfOpenAfter);
    }

    private static long count(String item, String value) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw bad(item, "the count is not a whole number");
        }
        if (n < 1) {
            throw bad(item, "the count must be at least 1");
        }
        return n;
    }

    private static Duration duration(String item, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return checkedDuration(item, Math.round(Double.parseDouble(v.substring(0, v.length() - 2))));
            }
            if (v.endsWith("s")) {
                return checkedDuration(item, Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return checkedDuration(item, Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60000));
            }
        } catch (NumberFormatException e) {
            throw bad(item, "'" + value + "' is not a number with a unit");
        }
        throw bad(item, "the duration needs a unit: ms, s or m");
    }

    private static Duration checkedDuration(String item, long millis) {
        if (millis < 0) {
            throw bad(item, "a duration cannot be negative");
        }
        return Duration.ofMillis(millis);
    }

    private static double probability(String item, String value) {
        double p;
        try {
            p = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw bad(item, "'" + value + "' is not a number");
        }
        if (!(p >= 0 && p <= 1)) {
            throw bad(item, "a probability must be in 0..1");
        }
        return p;
    }

    private static IllegalArgumentException bad(String item, String why) {
        return new IllegalArgumentException("bad fault spec item '" + item + "': " + why + "; valid items: " + KEYS);
    }
}
