package org.rramlab.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rramlab.learning.model.Architecture;
import org.rramlab.learning.model.ModelMetadata;
import org.rramlab.learning.model.ModelStore;

/** What a spec needs of the node: ids free, the teacher there (or queued), the preset readable. */
final class TrainerChecks {
    private TrainerChecks() {}

    /** Everything wrong with {@code spec} on this node; empty when it can be queued. */
    static List<String> problems(TrainingJobSpec spec, Path dataDir, TrainerState state) {
        if (spec == null) {
            return List.of("no job given: send a training job spec, e.g. {\"kind\": \"teacher\", \"dataset\": \"mnist\","
                    + " \"model\": \"mnist-teacher\"}");
        }
        List<String> out = new ArrayList<>(spec.problems());
        if (!out.isEmpty()) {
            return out;
        }
        ModelStore store = new ModelStore(dataDir.resolve("models"));
        if (store.exists(spec.model())) {
            out.add("model: '" + spec.model() + "' exists already in " + dataDir.resolve("models")
                    + "; choose another id (GET /api/models lists the models)");
        }
        writer(state, spec.model()).ifPresent(j -> out.add("model: " + j.id() + " (" + j.state()
                + ") saves under '" + spec.model() + "' already; choose another id"));
        if (spec.distills()) {
            if (store.exists(spec.teacher())) {
                try {
                    String mismatch = teacherMismatch(spec, store.metadata(spec.teacher()));
                    if (mismatch != null) {
                        out.add(mismatch);
                    }
                } catch (IOException e) {
                    out.add("teacher: model '" + spec.teacher() + "' cannot be read: " + e.getMessage());
                }
            } else if (writer(state, spec.teacher()).isEmpty()) {
                out.add("teacher: no model '" + spec.teacher() + "' in " + dataDir.resolve("models")
                        + " and no queued job trains it; train it first (a job of kind teacher) or name another"
                        + " (GET /api/models lists the models)");
            }
            if (spec.presetName() != null) {
                try {
                    DeviceChoice.preset(spec.presetName(), dataDir);
                } catch (IllegalArgumentException e) {
                    out.add(e.getMessage());
                }
            }
        }
        return out;
    }

    /** The queued or running job that will save a model under {@code id}. */
    private static Optional<TrainingJob> writer(TrainerState state, String id) {
        return state.active().stream().filter(j -> j.spec().model().equals(id)).findFirst();
    }

    /** Why the teacher cannot teach this student, or null when it can. */
    static String teacherMismatch(TrainingJobSpec spec, ModelMetadata teacher) {
        if (!spec.datasetKind().id().equals(teacher.dataset())) {
            return "teacher: model '" + spec.teacher() + "' was trained on " + teacher.dataset() + ", not "
                    + spec.dataset() + "; use a teacher of the same dataset";
        }
        Architecture asked = spec.architectureOrNull();
        if (asked != null && !asked.id().equals(teacher.architecture())) {
            return "architecture: the student starts from its teacher's weights, so it is "
                    + teacher.architecture() + "; leave architecture out or give \"" + teacher.architecture() + "\"";
        }
        return null;
    }
}
