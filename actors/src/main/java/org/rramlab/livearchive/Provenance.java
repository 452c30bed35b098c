package org.rramlab.livearchive;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rramlab.node.Version;

/**
 * The software half of the provenance every record of the lab carries: the rramlab version and
 * the git commit it was built from ({@link Version}).
 */
public final class Provenance {
    private Provenance() {}

    public static String gitCommit() {
        return Version.gitCommit();
    }

    public static Map<String, Object> software() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rramlab_version", Version.current());
        m.put("git_commit", Version.gitCommit());
        return m;
    }
}
