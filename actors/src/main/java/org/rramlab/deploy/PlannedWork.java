package org.rramlab.deploy;

import java.nio.file.Path;
import java.time.Instant;
import org.rramlab.array.ArraySpec;
import org.rramlab.device.DevicePreset;
import org.rramlab.learning.mapping.WeightMapping;
import org.rramlab.node.Provenance;

/** A network loaded and planned onto arrays, and the event that records the plan. */
record PlannedWork(AdaptationWork work, DeploymentEvent.Created created) {

    /**
     * Loads the network and plans it onto arrays named prefix-0, prefix-1, ...; frees it again when
     * planning fails. Blocks: call it on the adaptation dispatcher.
     */
    static PlannedWork plan(DeploymentSpec spec, String prefix, DevicePreset defaultPreset, Path dataDir) {
        DevicePreset preset = spec.preset() == null ? defaultPreset : DevicePreset.load(spec.preset());
        AdaptationWork w = AdaptationWork.load(dataDir, spec);
        try {
            WeightMapping mapping = w.plan(preset, prefix);
            Provenance provenance = Provenance.of(preset).withArrays(mapping.arrayIds(),
                    spec.simulatedOrTrue() ? ArraySpec.SIMULATED : null);
            return new PlannedWork(w, new DeploymentEvent.Created(Instant.now(), spec, mapping, spec.model(), w.dataset(),
                    w.softwareAccuracy(), provenance));
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }
}
