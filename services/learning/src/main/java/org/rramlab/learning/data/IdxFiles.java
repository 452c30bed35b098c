package org.rramlab.learning.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of IDX files (MNIST, Fashion-MNIST): unsigned-byte images (magic 0x00000803) and labels
 * (magic 0x00000801), plain or gzip-compressed (detected from the content, not the name).
 */
public final class IdxFiles {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {}

    /** Raw images: {@code count x rows x cols} unsigned bytes as ints 0..255 packed in a byte array. */
    public record RawImages(int count, int rows, int cols, byte[] pixels) {}

    public static RawImages readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file);
            if (magic != IMAGES_MAGIC) {
                throw wrongKind(file, magic, IMAGES_MAGIC, "image");
            }
            int count = readHeaderInt(in, file);
            int rows = readHeaderInt(in, file);
            int cols = readHeaderInt(in, file);
            if (count <= 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE) {
                throw new DatasetFormatException(file + ": implausible IDX image header (" + count + " images of "
                        + rows + "x" + cols + "); the file is damaged: fetch it again with `rramlab datasets fetch`");
            }
            byte[] pixels = new byte[count * rows * cols];
            readFully(in, pixels, file);
            return new RawImages(count, rows, cols, pixels);
        } catch (IOException e) {
            throw new DatasetFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file);
            if (magic != LABELS_MAGIC) {
                throw wrongKind(file, magic, LABELS_MAGIC, "label");
            }
            int count = readHeaderInt(in, file);
            if (count <= 0) {
                throw new DatasetFormatException(file + ": IDX label file declares " + count + " labels");
            }
            byte[] raw = new byte[count];
            readFully(in, raw, file);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw new DatasetFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException("dataset file " + file + " is missing: run `rramlab datasets fetch`"
                    + " (or give --data-dir pointing at the folder that holds datasets/)");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(in);
    }

    private static int readHeaderInt(DataInputStream in, Path file) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DatasetFormatException(file + " is truncated: it ends inside the IDX header;"
                    + " fetch it again with `rramlab datasets fetch`");
        }
    }

    private static void readFully(DataInputStream in, byte[] buffer, Path file) throws IOException {
        try {
            in.readFully(buffer);
        } catch (EOFException e) {
            throw new DatasetFormatException(file + " is truncated: its header announces " + buffer.length
                    + " data bytes but the file ends before; fetch it again with `rramlab datasets fetch`");
        }
    }

    private static DatasetFormatException wrongKind(Path file, int magic, int expected, String kind) {
        return new DatasetFormatException(String.format("%s is not an IDX %s file (magic number 0x%08x, expected 0x%08x);"
                + " check the file name or fetch it again with `rramlab datasets fetch`", file, kind, magic, expected));
    }
}
