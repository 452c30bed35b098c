package org.rramlab.device.emulator;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One received line of an instrument that takes several commands a line separated by semicolons
 * (the B1500's FLEX, the B2200A's SCPI, the array board): each command is run in turn, and the
 * replies of those that answer are joined one a line (LF, as the line server sends them); a line
 * none of whose commands answers has no reply (null).
 */
final class CommandLine {
    private CommandLine() {}

    /** @param command one stripped, non-empty command to its reply, or null when it has none */
    static String replies(String line, Function<String, String> command) {
        StringBuilder replies = new StringBuilder();
        for (String part : line.split(";")) {
            String c = part.strip();
            if (c.isEmpty()) {
                continue;
            }
            String reply = command.apply(c);
            if (reply != null) {
                replies.append(replies.length() > 0 ? "\n" : "").append(reply);
            }
        }
        return replies.length() == 0 ? null : replies.toString();
    }

    /**
     * As {@link #replies(String, Function)}, each command split at its first space into the header
     * and its arguments (trimmed; empty when there are none).
     */
    static String repliesByHeader(String line, BiFunction<String, String, String> command) {
        return replies(line, c -> {
            int space = c.indexOf(' ');
            return command.apply(space < 0 ? c : c.substring(0, space), space < 0 ? "" : c.substring(space + 1).trim());
        });
    }
}
