package org.rramlab.device.visa;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One instrument's address as a VISA resource string, plus the Prologix adapter form VISA lacks.
 *
 * <pre>
 * TCPIP[n]::HOST::PORT::SOCKET         raw TCP socket (SCPI over LAN, port 5025 on most instruments)
 * TCPIP[n]::HOST[::inst0][::INSTR]     VXI-11 (LXI instruments speak it; device name inst0)
 * TCPIP[n]::HOST::gpib0,17::INSTR      VXI-11 to a LAN/GPIB gateway (E5810, E5810B...), GPIB address 17
 * PROLOGIX::HOST[:PORT]::17            Prologix-style GPIB-Ethernet adapter (port 1234), GPIB address 17
 * GPIB[n]::17[::INSTR]                 GPIB through the VISA library installed on this machine
 * </pre>
 */
public sealed interface VisaAddress {
    /** The resource string as given. */
    String resource();

    record Socket(String resource, String host, int port) implements VisaAddress {}

    record Vxi11(String resource, String host, String device) implements VisaAddress {}

    record Prologix(String resource, String host, int port, int gpibAddress) implements VisaAddress {}

    record Gpib(String resource, int board, int gpibAddress) implements VisaAddress {}

    int PROLOGIX_PORT = 1234;
    String FORMS = "TCPIP0::HOST::PORT::SOCKET, TCPIP0::HOST::inst0::INSTR, TCPIP0::GATEWAY::gpib0,17::INSTR, "
            + "PROLOGIX::HOST[:PORT]::17 or GPIB0::17::INSTR";

    Pattern TCPIP = Pattern.compile("TCPIP[0-9]{0,2}::([A-Za-z0-9._-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?:::([^:]{1,64}))?(?:::(SOCKET|INSTR))?",
            Pattern.CASE_INSENSITIVE);
    Pattern GPIB = Pattern.compile("GPIB([0-9]{0,2})::([0-9]{1,2})(?:::INSTR)?", Pattern.CASE_INSENSITIVE);
    Pattern PROLOGIX = Pattern.compile("PROLOGIX::([A-Za-z0-9._-]{1,253})(?::([0-9]{1,5}))?::([0-9]{1,2})", Pattern.CASE_INSENSITIVE);

    static VisaAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad(text, "it is empty");
        }
        String s = text.trim();
        Matcher m = TCPIP.matcher(s);
        if (m.matches()) {
            String host = m.group(1).replace("[", "").replace("]", "");
            String middle = m.group(2);
            String kind = m.group(3) == null ? "INSTR" : m.group(3).toUpperCase(Locale.ROOT);
            if (m.group(3) == null && middle != null && (middle.equalsIgnoreCase("INSTR") || middle.equalsIgnoreCase("SOCKET"))) {
                kind = middle.toUpperCase(Locale.ROOT);
                middle = null;
            }
            if (kind.equals("SOCKET")) {
                if (middle == null || !middle.matches("[0-9]{1,5}") || Integer.parseInt(middle) < 1 || Integer.parseInt(middle) > 65535) {
                    throw bad(s, "a SOCKET resource needs a TCP port 1..65535 after the host");
                }
                return new Socket(s, host, Integer.parseInt(middle));
            }
            String device = middle == null ? "inst0" : middle;
            if (!device.matches("(inst|hpib|gpib)[0-9]{0,2}(,[0-9]{1,2}){0,2}|[A-Za-z][A-Za-z0-9_]{0,30}")) {
                throw bad(s, "the VXI-11 device name '" + device + "' is not like inst0 or gpib0,17");
            }
            return new Vxi11(s, host, device);
        }
        m = PROLOGIX.matcher(s);
        if (m.matches()) {
            int port = m.group(2) == null ? PROLOGIX_PORT : Integer.parseInt(m.group(2));
            return new Prologix(s, m.group(1), port, gpibAddress(s, m.group(3)));
        }
        m = GPIB.matcher(s);
        if (m.matches()) {
            return new Gpib(s, m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1)), gpibAddress(s, m.group(2)));
        }
        throw bad(s, "it is not a resource string this driver speaks");
    }

    private static int gpibAddress(String s, String text) {
        int a = Integer.parseInt(text);
        if (a > 30) {
            throw bad(s, "GPIB addresses are 0..30");
        }
        return a;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("instrument address '" + text + "': " + why + "; give one of " + FORMS);
    }
}
