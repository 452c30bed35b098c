package org.rramlab.learning.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves and loads networks as {@code NAME.params} (weights and biases, big-endian floats) beside
 * {@code NAME.json} (the {@link ModelMetadata}). Files are written to a temporary name and then moved,
 * so a crash never leaves a half-written model under the real name.
 */
public final class ModelStore {
    private static final int MAGIC = 0x52524c4d; // "RRLM"
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public ModelStore(Path dir) {
        this.dir = dir;
    }

    public Path paramsFile(String name) {
        return dir.resolve(name + ".params");
    }

    public Path metadataFile(String name) {
        return dir.resolve(name + ".json");
    }

    public boolean exists(String name) {
        return Files.isRegularFile(paramsFile(name)) && Files.isRegularFile(metadataFile(name));
    }

    public void save(String name, Network net, ModelMetadata metadata) throws IOException {
        Files.createDirectories(dir);
        // a temporary name of its own: two processes saving the same model (two benchmarks that both
        // trained it) each move a whole file into place, the last one wins
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".params.tmp");
        Path tmpJson = Files.createTempFile(dir, "." + name + ".", ".json.tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                int layers = net.weightedLayers().size();
                out.writeInt(layers);
                for (int i = 0; i < layers; i++) {
                    writeArray(out, net.weightValues(i));
                    writeArray(out, net.biasValues(i));
                }
            }
            JSON.writeValue(tmpJson.toFile(), metadata);
            Files.move(tmp, paramsFile(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmpJson, metadataFile(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            // a save that failed leaves no temporary file behind (after the moves there is none left)
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmpJson);
        }
    }

    public ModelMetadata metadata(String name) throws IOException {
        Path file = metadataFile(name);
        if (!Files.isRegularFile(file)) {
            throw new IOException("model metadata " + file + " is missing");
        }
        return JSON.readValue(file.toFile(), ModelMetadata.class);
    }

    public Network load(String name) throws IOException {
        ModelMetadata meta = metadata(name);
        Path file = paramsFile(name);
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not an rramlab model parameter file (version " + VERSION
                        + "); delete it and train again");
            }
            int layers = in.readInt();
            for (int i = 0; i < layers; i++) {
                w.add(readArray(in));
                b.add(readArray(in));
            }
        } catch (EOFException e) {
            throw new IOException(file + " is truncated; delete it and train again", e);
        }
        try {
            return Network.of(Architecture.parse(meta.architecture()), meta.channels(), meta.size(), meta.classes(), w, b);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not match its metadata: " + e.getMessage(), e);
        }
    }

    private static void writeArray(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readArray(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000_000) {
            throw new IOException("implausible array length " + n);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
