package org.rramlab.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/** Reads the regular files out of a gzip-compressed tar archive (the form `npm pack` writes). */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {}

    /**
     * Extracts each entry whose archive path {@code target} maps to a file; others are skipped.
     *
     * @return the archive paths extracted
     */
    static Set<String> extract(Path archive, Function<String, Path> target) throws IOException {
        Set<String> extracted = new HashSet<>();
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive)))) {
            byte[] header = new byte[BLOCK];
            while (readFully(in, header)) {
                if (isZero(header)) {
                    break;
                }
                String name = text(header, 345, 155).isEmpty() ? text(header, 0, 100)
                        : text(header, 345, 155) + "/" + text(header, 0, 100);
                long size = octal(header, 124, 12, archive);
                char type = (char) header[156];
                Path out = (type == '0' || type == 0) ? target.apply(name) : null;
                if (out != null) {
                    try (OutputStream os = Files.newOutputStream(out)) {
                        copy(in, os, size, archive);
                    }
                    extracted.add(name);
                } else {
                    skip(in, size, archive);
                }
                skip(in, (BLOCK - size % BLOCK) % BLOCK, archive);
            }
        }
        return extracted;
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8).trim();
    }

    private static long octal(byte[] h, int off, int len, Path archive) throws IOException {
        String s = text(h, off, len);
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(archive + " is not a valid tar archive (bad size field '" + s + "')");
        }
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException(archive + " ends in the middle of a file: the download is truncated");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long size, Path archive) throws IOException {
        long left = size;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new IOException(archive + " ends early: the download is truncated");
                }
                n = 1;
            }
            left -= n;
        }
    }
}
