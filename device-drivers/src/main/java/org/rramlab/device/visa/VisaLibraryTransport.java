package org.rramlab.device.visa;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * GPIB (and any resource) through the VISA library installed on this machine (NI-VISA,
 * Keysight IO Libraries, R&amp;S VISA), called with JNA: viOpenDefaultRM, viOpen, viSetAttribute
 * (timeout), viWrite, viRead, viClear, viClose. Without a VISA library the open fails with a
 * message saying what to install.
 */
public final class VisaLibraryTransport implements Transport {
    /** Library names tried in order: Linux, Windows 64 and 32 bit, macOS framework. */
    static final List<String> LIBRARY_NAMES = List.of("visa", "visa64", "visa32", "iovisa", "rsvisa",
            "/Library/Frameworks/VISA.framework/VISA");
    private static final int VI_ATTR_TMO_VALUE = 0x3FFF001A;
    private static final int VI_SUCCESS_MAX_CNT = 0x3FFF0006;
    private static final int VI_ERROR_TMO = 0xBFFF0015;

    /** The part of the VISA C API this transport uses (VPP-4.3.2). */
    public interface Visa extends Library {
        int viOpenDefaultRM(IntByReference session);

        int viOpen(int rm, String resource, int accessMode, int timeout, IntByReference session);

        int viSetAttribute(int session, int attribute, long value);

        int viWrite(int session, byte[] buffer, int count, IntByReference written);

        int viRead(int session, Memory buffer, int count, IntByReference read);

        int viClear(int session);

        int viClose(int session);
    }

    private static volatile Visa library;
    private final Visa visa;
    private final int rm;
    private final int session;
    private final String where;
    private final int maxLength;
    private final StringBuilder pending = new StringBuilder();

    private VisaLibraryTransport(Visa visa, int rm, int session, String where, int maxLength) {
        this.visa = visa;
        this.rm = rm;
        this.session = session;
        this.where = where;
        this.maxLength = maxLength;
    }

    /** The installed VISA library, or a TransportException naming what to install. */
    static synchronized Visa library(List<String> names) {
        if (library != null) {
            return library;
        }
        StringBuilder tried = new StringBuilder();
        for (String name : names) {
            try {
                library = Native.load(name, Visa.class);
                return library;
            } catch (UnsatisfiedLinkError e) {
                tried.append(tried.length() == 0 ? "" : ", ").append(name);
            }
        }
        throw new TransportException("no VISA library is installed (tried " + tried + "); GPIB0::N::INSTR addresses need "
                + "NI-VISA, Keysight IO Libraries or R&S VISA on this machine; or reach the instrument through a LAN/GPIB "
                + "gateway (TCPIP0::GATEWAY::gpib0,N::INSTR) or a Prologix adapter (PROLOGIX::HOST::N)", false, null);
    }

    public static VisaLibraryTransport open(VisaAddress.Gpib address, Transports.Settings settings) {
        Visa visa = library(LIBRARY_NAMES);
        IntByReference rm = new IntByReference();
        check(visa.viOpenDefaultRM(rm), "viOpenDefaultRM", address.resource());
        IntByReference vi = new IntByReference();
        String resource = "GPIB" + address.board() + "::" + address.gpibAddress() + "::INSTR";
        int status = visa.viOpen(rm.getValue(), resource, 0, (int) settings.connectTimeout().toMillis(), vi);
        if (status < 0) {
            visa.viClose(rm.getValue());
            check(status, "viOpen", resource);
        }
        return new VisaLibraryTransport(visa, rm.getValue(), vi.getValue(), "VISA " + resource, settings.maxLineLength());
    }

    private static void check(int status, String call, String resource) {
        if (status < 0) {
            throw new TransportException(call + " for " + resource + " failed with VISA status 0x" + Integer.toHexString(status)
                    + "; check the resource in the VISA configuration utility", status == VI_ERROR_TMO, null);
        }
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public void write(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        check(visa.viWrite(session, b, b.length, new IntByReference()), "viWrite", where);
    }

    @Override
    public String readLine(Duration timeout, String command) {
        visa.viSetAttribute(session, VI_ATTR_TMO_VALUE, Math.max(1, timeout.toMillis()));
        Memory buffer = new Memory(65536);
        while (pending.indexOf("\n") < 0) {
            IntByReference got = new IntByReference();
            int status = visa.viRead(session, buffer, 65536, got);
            if (status == VI_ERROR_TMO) {
                throw new TransportException("no reply from " + where + " to '" + command + "' within " + timeout.toMillis() + " ms", true, null);
            }
            check(status, "viRead", where);
            pending.append(new String(buffer.getByteArray(0, got.getValue()), StandardCharsets.ISO_8859_1));
            if (pending.length() > maxLength) {
                throw new TransportException("reply from " + where + " exceeds " + maxLength + " characters", false, null);
            }
            if (status != VI_SUCCESS_MAX_CNT && pending.indexOf("\n") < 0) {
                pending.append('\n'); // END (EOI) without a line feed ends the message
            }
        }
        int nl = pending.indexOf("\n");
        String line = pending.substring(0, nl);
        pending.delete(0, nl + 1);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    @Override
    public void clear(Duration timeout) {
        pending.setLength(0);
        check(visa.viClear(session), "viClear", where);
    }

    @Override
    public void close() {
        visa.viClose(session);
        visa.viClose(rm);
    }
}
