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

    /**
     * What the spec asks of the files of this node, read from disk: call it off the actor's thread.
     *
     * @param problems      what is wrong in the files (teacher unreadable or unfit, preset unusable)
     * @param modelExists   a model is saved under the spec's id already
     * @param teacherExists the teacher the spec names is saved
     */
    record Files(List<String> problems, boolean modelExists, boolean teacherExists) {}

    /** What is wrong with the spec by itself (no files, no state), or a spec that is missing. */
    static List<String> specProblems(TrainingJobSpec spec) {
        if (spec == null) {
            return List.of("no job given: send a training job spec, e.g. {\"kind\": \"teacher\", \"dataset\": \"mnist\","
                    + " \"model\": \"mnist-teacher\"}");
        }
        return spec.problems();
    }

    /** Reads the model store and presets for a spec without problems of its own. Blocks on I/O. */
    static Files files(TrainingJobSpec spec, Path dataDir) {
        ModelStore store = new ModelStore(dataDir.resolve("models"));
        List<String> out = new ArrayList<>();
        boolean teacherExists = spec.distills() && store.exists(spec.teacher());
        if (teacherExists) {
            try {
                String mismatch = teacherMismatch(spec, store.metadata(spec.teacher()));
                if (mismatch != null) {
                    out.add(mismatch);
                }
            } catch (IOException e) {
                out.add("teacher: model '" + spec.teacher() + "' cannot be read: " + e.getMessage());
            }
        }
        if (spec.distills() && spec.presetName() != null) {
            try {
                DeviceChoice.preset(spec.presetName(), dataDir);
            } catch (IllegalArgumentException e) {
                out.add(e.getMessage());
            }
        }
        return new Files(List.copyOf(out), store.exists(spec.model()), teacherExists);
    }

    /** Everything wrong with {@code spec} on this node, given what its files say; empty when it can be queued. */
    static List<String> problems(TrainingJobSpec spec, Files files, Path dataDir, TrainerState state,
                                 boolean teacherQueuedAtSubmit) {
        List<String> out = new ArrayList<>();
        if (files.modelExists()) {
            out.add("model: '" + spec.model() + "' exists already in " + dataDir.resolve("models")
                    + "; choose another id (GET /api/models lists the models)");
        }
        writer(state, spec.model()).ifPresent(j -> out.add("model: " + j.id() + " (" + j.state()
                + ") saves under '" + spec.model() + "' already; choose another id"));
        if (spec.distills() && !files.teacherExists() && !teacherQueuedAtSubmit && writer(state, spec.teacher()).isEmpty()) {
            out.add("teacher: no model '" + spec.teacher() + "' in " + dataDir.resolve("models")
                    + " and no queued job trains it; train it first (a job of kind teacher) or name another"
                    + " (GET /api/models lists the models)");
        }
        out.addAll(files.problems());
        return out;
    }

    /** Whether a queued or running job will save the teacher {@code spec} names (judged when it is submitted). */
    static boolean teacherQueued(TrainingJobSpec spec, TrainerState state) {
        return spec.distills() && writer(state, spec.teacher()).isPresent();
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
