package org.rramlab.livearchive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.rramlab.node.Version;

/**
 * The software half of the provenance every record of the lab carries: the rramlab version and
 * the git commit it was built from (written into the jar as rramlab-build.properties by the
 * launcher's build; "unknown" when run from classes that were built without it).
 */
public final class Provenance {
    private static final String COMMIT = loadCommit();

    private Provenance() {}

    public static String gitCommit() {
        return COMMIT;
    }

    public static Map<String, Object> software() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rramlab_version", Version.current());
        m.put("git_commit", COMMIT);
        return m;
    }

    private static String loadCommit() {
        String fromProperty = System.getProperty("rramlab.git.commit");
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty.trim();
        }
        try (InputStream in = Provenance.class.getResourceAsStream("/rramlab-build.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                String c = p.getProperty("git.commit", "").trim();
                if (!c.isEmpty() && !c.startsWith("${")) {
                    return c;
                }
            }
        } catch (IOException e) {
            // fall through: unknown
        }
        return "unknown";
    }
}
