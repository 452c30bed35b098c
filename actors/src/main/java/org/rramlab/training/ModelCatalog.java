package org.rramlab.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The models saved in {@code <data-dir>/models}, as the API shows them. Blocking file reads. */
final class ModelCatalog {
    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

    /**
     * @param accuracy test accuracy in [0, 1] measured when the model was saved
     * @param created  when it was saved (ISO-8601)
     * @param training how it was trained (epochs, batch size, ...; for a kd student its teacher and
     *                 device model); only in the answer about one model
     */
    record ModelInfo(String id, String architecture, String dataset, double accuracy, String created,
                     Integer channels, Integer size, Integer classes, Map<String, Object> training) {}

    private final Path dir;
    private final ModelStore store;

    ModelCatalog(Path dataDir) {
        this.dir = dataDir.resolve("models");
        this.store = new ModelStore(dir);
    }

    /** Every complete model (parameters and metadata), by id; unreadable metadata is skipped and logged. */
    List<ModelInfo> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ModelInfo> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".json")) {
                    continue;
                }
                String id = name.substring(0, name.length() - ".json".length());
                if (!TrainingJobSpec.ID.matcher(id).matches() || !store.exists(id)) {
                    continue;
                }
                try {
                    ModelMetadata m = store.metadata(id);
                    out.add(new ModelInfo(id, m.architecture(), m.dataset(), m.accuracy(), m.savedAt(), null, null,
                            null, null));
                } catch (IOException e) {
                    log.warn("model {} not listed: its metadata cannot be read: {}", id, e.getMessage());
                }
            }
        }
        return out;
    }

    Optional<ModelInfo> get(String id) throws IOException {
        if (!TrainingJobSpec.ID.matcher(id).matches() || !store.exists(id)) {
            return Optional.empty();
        }
        ModelMetadata m = store.metadata(id);
        return Optional.of(new ModelInfo(id, m.architecture(), m.dataset(), m.accuracy(), m.savedAt(), m.channels(),
                m.size(), m.classes(), m.training()));
    }
}
