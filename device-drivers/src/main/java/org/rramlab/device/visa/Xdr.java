package org.rramlab.device.visa;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** XDR (RFC 4506) encoding of the few types ONC-RPC and VXI-11 use: 32-bit integers and opaque data. */
public final class Xdr {
    private Xdr() {}

    /** Builds an XDR message. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        public Writer u32(long v) {
            out.write((int) (v >>> 24) & 0xff);
            out.write((int) (v >>> 16) & 0xff);
            out.write((int) (v >>> 8) & 0xff);
            out.write((int) v & 0xff);
            return this;
        }

        /** Variable-length opaque data: length, bytes, zero padding to a multiple of 4. */
        public Writer opaque(byte[] data) {
            u32(data.length);
            out.write(data, 0, data.length);
            for (int pad = (4 - data.length % 4) % 4; pad > 0; pad--) {
                out.write(0);
            }
            return this;
        }

        public Writer string(String s) {
            return opaque(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** Reads an XDR message; a short or inconsistent message raises IllegalArgumentException. */
    public static final class Reader {
        private final ByteBuffer in;

        public Reader(byte[] data) {
            this.in = ByteBuffer.wrap(data);
        }

        public long u32() {
            if (in.remaining() < 4) {
                throw new IllegalArgumentException("XDR message ends inside an integer");
            }
            return in.getInt() & 0xffffffffL;
        }

        public int i32() {
            return (int) u32();
        }

        public byte[] opaque(int maxLength) {
            long n = u32();
            if (n > maxLength || n > in.remaining()) {
                throw new IllegalArgumentException("XDR opaque of " + n + " bytes exceeds the message or the limit " + maxLength);
            }
            byte[] b = new byte[(int) n];
            in.get(b);
            int pad = (int) ((4 - n % 4) % 4);
            in.position(Math.min(in.limit(), in.position() + pad));
            return b;
        }

        public String string(int maxLength) {
            return new String(opaque(maxLength), StandardCharsets.ISO_8859_1);
        }
    }
}
