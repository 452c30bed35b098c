package org.rramlab.livearchive;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rramlab.array.ArraySummary;

/** What an array says of itself that belongs with its data: driver, preset, where it is, its temperature. */
public final class ArrayProvenance {
    private ArrayProvenance() {}

    public static Map<String, Object> of(ArraySummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("driver", s.kind());
        m.put("preset", s.preset());
        m.put("preset_sha256", presetHash(s.preset()));
        if (s.address() != null) {
            m.put("instrument_address", s.address());
        }
        if (s.identity() != null) {
            m.put("instrument_idn", s.identity());
        }
        if (s.die() != null) {
            m.put("die", s.die());
        }
        if (s.seed() != null) {
            m.put("fabrication_seed", s.seed());
        }
        m.put("temperature_k", s.temperatureKelvin());
        m.put("rows", s.rows());
        m.put("cols", s.cols());
        m.put("levels", s.levels());
        return m;
    }

    /** SHA-256 of the preset's parameters (its record form), so that two runs can tell they used the same device model. */
    public static String presetHash(String preset) {
        return org.rramlab.node.Provenance.presetSha256(preset);
    }
}
