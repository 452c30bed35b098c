package org.rramlab.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The software's identity: the version built into the jar's manifest ("dev" when run from classes) and
 * the git commit it was built from (written into the jar as rramlab-build.properties by the launcher's
 * build, or the system property {@code rramlab.git.commit}; "unknown" when built without it).
 */
public final class Version {
    private static final String COMMIT = loadCommit();

    private Version() {}

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public static String gitCommit() {
        return COMMIT;
    }

    private static String loadCommit() {
        String fromProperty = System.getProperty("rramlab.git.commit");
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty.trim();
        }
        try (InputStream in = Version.class.getResourceAsStream("/rramlab-build.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
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
