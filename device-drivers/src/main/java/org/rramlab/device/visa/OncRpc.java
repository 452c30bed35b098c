package org.rramlab.device.visa;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * ONC-RPC version 2 (RFC 5531) over TCP: record marking (a 4-byte header per fragment, top bit
 * set on the last), call and reply headers with AUTH_NONE. Shared by the VXI-11 client and the
 * emulator's VXI-11 server.
 */
public final class OncRpc {
    public static final int CALL = 0;
    public static final int REPLY = 1;
    public static final int MSG_ACCEPTED = 0;
    public static final int SUCCESS = 0;
    public static final int PROG_UNAVAIL = 1;
    public static final int PROC_UNAVAIL = 3;
    public static final int GARBAGE_ARGS = 4;
    public static final int PORTMAPPER_PROGRAM = 100000;
    public static final int PORTMAPPER_VERSION = 2;
    public static final int PORTMAPPER_GETPORT = 3;
    public static final int IPPROTO_TCP = 6;
    private static final int MAX_RECORD = 16 << 20;

    private OncRpc() {}

    /** Writes one record as a single last fragment. */
    public static void writeRecord(OutputStream out, byte[] body) throws IOException {
        int n = body.length;
        byte[] header = {(byte) (0x80 | (n >>> 24)), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        out.write(header);
        out.write(body);
        out.flush();
    }

    /** Reads one record (all its fragments); null at a clean end of stream before a record starts. */
    public static byte[] readRecord(InputStream in) throws IOException {
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        boolean first = true;
        while (true) {
            byte[] h = new byte[4];
            int got = readFully(in, h, !first);
            if (got < 0) {
                return null;
            }
            long header = ((h[0] & 0xffL) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
            boolean last = (header & 0x80000000L) != 0;
            int length = (int) (header & 0x7fffffff);
            if (record.size() + (long) length > MAX_RECORD) {
                throw new IOException("ONC-RPC record longer than " + MAX_RECORD + " bytes");
            }
            byte[] fragment = new byte[length];
            if (readFully(in, fragment, true) < 0) {
                throw new IOException("connection closed inside an ONC-RPC record");
            }
            record.write(fragment);
            first = false;
            if (last) {
                return record.toByteArray();
            }
        }
    }

    private static int readFully(InputStream in, byte[] b, boolean mustComplete) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                if (off == 0 && !mustComplete) {
                    return -1;
                }
                throw new IOException("connection closed inside an ONC-RPC record");
            }
            off += n;
        }
        return off;
    }

    /** The header of a call with AUTH_NONE credentials and verifier; the arguments follow. */
    public static Xdr.Writer call(long xid, int program, int version, int procedure) {
        return new Xdr.Writer().u32(xid).u32(CALL).u32(2).u32(program).u32(version).u32(procedure)
                .u32(0).u32(0).u32(0).u32(0);
    }

    /** The header of an accepted reply with the given accept status; the results follow. */
    public static Xdr.Writer reply(long xid, int acceptStatus) {
        return new Xdr.Writer().u32(xid).u32(REPLY).u32(MSG_ACCEPTED).u32(0).u32(0).u32(acceptStatus);
    }

    /**
     * Checks a reply's header and returns a reader at its results.
     *
     * @throws IllegalArgumentException when the reply is for another call, denied or not successful
     */
    public static Xdr.Reader results(byte[] reply, long xid, String what) {
        Xdr.Reader r = new Xdr.Reader(reply);
        long got = r.u32();
        if (got != xid) {
            throw new IllegalArgumentException(what + ": reply for call " + got + ", expected " + xid);
        }
        if (r.u32() != REPLY) {
            throw new IllegalArgumentException(what + ": not an ONC-RPC reply");
        }
        if (r.u32() != MSG_ACCEPTED) {
            throw new IllegalArgumentException(what + ": the call was denied (RPC version or authentication)");
        }
        r.u32(); // verifier flavor
        r.opaque(400);
        long accept = r.u32();
        if (accept != SUCCESS) {
            throw new IllegalArgumentException(what + ": the server did not accept the call (accept status " + accept + ")");
        }
        return r;
    }
}
