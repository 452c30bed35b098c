package org.rramlab.device.scpi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SCPI error queue's answer ({@code :SYST:ERR?}): {@code +0,"No error"} or {@code -222,"Data out of range"}. */
final class ScpiErrors {
    private static final Pattern ERROR = Pattern.compile("([+-]?[0-9]{1,6}),\"([ -!#-~]{0,200})\"");

    private ScpiErrors() {}

    static AnalyzerReplies.ErrorReply parse(String reply, String command) {
        Matcher m = ERROR.matcher(reply);
        if (!m.matches()) {
            throw new MalformedReplyException(reply, "an error-queue reply like +0,\"No error\" to '" + command + "'");
        }
        return new AnalyzerReplies.ErrorReply(Integer.parseInt(m.group(1)), m.group(2));
    }
}
