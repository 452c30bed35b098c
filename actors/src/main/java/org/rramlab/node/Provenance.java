package org.rramlab.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rramlab.device.DevicePreset;
import org.rramlab.serialization.CborSerializable;

/**
 * Where a campaign's, deployment's or training job's results came from, recorded in its start
 * event: the software (version, git commit), the device preset and the SHA-256 of its parameters,
 * and per array its driver, preset and instrument address. Null in events older than it.
 *
 * @param preset       the preset it works with (null: none, or one per array)
 * @param arrays       by array id; empty when no array takes part (a training job)
 */
public record Provenance(String softwareVersion, String gitCommit, String preset, String presetSha256,
                         Map<String, ArrayIdentity> arrays) implements CborSerializable {

    /**
     * @param instrumentAddress  where its instrument answers (null: simulated, or not known when it started)
     * @param instrumentIdentity the instruments' answers to *IDN? (a simulated array's own identity); null
     *                           when not known when it started, and in events older than it
     */
    public record ArrayIdentity(String driver, String preset, String presetSha256, String instrumentAddress,
                                String instrumentIdentity) implements CborSerializable {}

    /** For a preset and no arrays. */
    public static Provenance of(DevicePreset preset) {
        return new Provenance(Version.current(), Version.gitCommit(),
                preset == null ? null : preset.name(), sha256(preset), Map.of());
    }

    /** For arrays as they described themselves ({@code ArraySummary.provenance}), by array id. */
    public static Provenance ofArrays(Map<String, ArrayIdentity> arrays) {
        return new Provenance(Version.current(), Version.gitCommit(), null, null, new LinkedHashMap<>(arrays));
    }

    /** For a preset and arrays of one driver whose addresses are not known yet. */
    public Provenance withArrays(Collection<String> ids, String driver) {
        Map<String, ArrayIdentity> each = new LinkedHashMap<>();
        ids.forEach(id -> each.put(id, new ArrayIdentity(driver, preset, presetSha256, null, null)));
        return new Provenance(softwareVersion, gitCommit, preset, presetSha256, each);
    }

    /**
     * What differs now from this recorded provenance, with the values now, in the status's JSON
     * names: {@code software_version}, {@code git_commit}, and under {@code arrays} per array the
     * fields of it that changed (a whole entry for an array not recorded). Empty when nothing does.
     */
    public Map<String, Object> changedIn(Provenance now) {
        Map<String, Object> out = new LinkedHashMap<>();
        putIfChanged(out, "software_version", softwareVersion, now.softwareVersion());
        putIfChanged(out, "git_commit", gitCommit, now.gitCommit());
        Map<String, Object> perArray = new LinkedHashMap<>();
        now.arrays().forEach((id, a) -> {
            ArrayIdentity was = arrays.get(id);
            Map<String, Object> changed = new LinkedHashMap<>();
            putIfChanged(changed, "driver", was == null ? null : was.driver(), a.driver());
            putIfChanged(changed, "preset", was == null ? null : was.preset(), a.preset());
            putIfChanged(changed, "preset_sha256", was == null ? null : was.presetSha256(), a.presetSha256());
            putIfChanged(changed, "instrument_address", was == null ? null : was.instrumentAddress(),
                    a.instrumentAddress());
            // another instrument answers (another serial or firmware); unknown on either side is no change
            if (a.instrumentIdentity() != null && (was == null || was.instrumentIdentity() != null)) {
                putIfChanged(changed, "instrument_identity", was == null ? null : was.instrumentIdentity(),
                        a.instrumentIdentity());
            }
            if (!changed.isEmpty() || was == null) {
                perArray.put(id, changed);
            }
        });
        if (!perArray.isEmpty()) {
            out.put("arrays", perArray);
        }
        return out;
    }

    private static void putIfChanged(Map<String, Object> out, String name, String was, String now) {
        if (!java.util.Objects.equals(was, now)) {
            out.put(name, now);
        }
    }

    /**
     * SHA-256 of the named preset's parameters (its record form), so that two runs can tell they used the
     * same device model; "unknown" when there is none, "unknown (why)" when it does not load.
     */
    public static String presetSha256(String preset) {
        if (preset == null) {
            return "unknown";
        }
        try {
            return sha256(DevicePreset.load(preset));
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** SHA-256 of the preset's parameters (its record form), as the archive computes it. */
    public static String sha256(DevicePreset preset) {
        if (preset == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(preset.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
