package org.rramlab.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of a dataset and how to tell that it is intact: a SHA-256 where the file is fixed,
 * the record structure where the user brings it (CIFAR-10: 10,000 records of 1 label + 3,072 pixels).
 */
public record DatasetFile(String name, String sha256, long size) {
    static final int CIFAR_RECORD = 1 + 3 * 32 * 32;
    static final long CIFAR_BATCH_BYTES = 10_000L * CIFAR_RECORD;

    static DatasetFile sha256(String name, String sha256) {
        return new DatasetFile(name, sha256, -1);
    }

    static DatasetFile cifarBatch(String name) {
        return new DatasetFile(name, null, CIFAR_BATCH_BYTES);
    }

    /** Returns null when the file is intact, otherwise what is wrong with it. */
    public String problem(Path file) {
        if (!Files.isRegularFile(file)) {
            return "missing";
        }
        try {
            if (sha256 != null) {
                String actual = sha256Of(file);
                return actual.equals(sha256) ? null
                        : "corrupt (SHA-256 " + actual.substring(0, 12) + "..., expected " + sha256.substring(0, 12) + "...)";
            }
            long actual = Files.size(file);
            if (actual != size) {
                return "corrupt (" + actual + " bytes, expected " + size + ")";
            }
            return cifarLabelsProblem(file);
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static String cifarLabelsProblem(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        for (int r = 0; r < all.length; r += CIFAR_RECORD) {
            int label = all[r] & 0xff;
            if (label > 9) {
                return "corrupt (record " + (r / CIFAR_RECORD) + " has label " + label + ", expected 0..9)";
            }
        }
        return null;
    }

    static String sha256Of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
