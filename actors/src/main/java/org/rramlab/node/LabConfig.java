package org.rramlab.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the node's effective configuration. Precedence, highest first: --config KEY=VALUE,
 * RRAMLAB_* environment variables (and CONFIG_FORCE_*), system properties, the Pekko settings
 * derived from rramlab.*, config/rramlab.conf, the libraries' reference.conf files.
 */
public final class LabConfig {
    /** Environment variables read by name in rramlab.conf or logback.xml, not mapped to keys. */
    private static final Set<String> ALIASES = Set.of("RRAMLAB_DATA_DIR", "RRAMLAB_LOG_LEVEL",
            "RRAMLAB_JAVA_OPTS", "RRAMLAB_HOME");
    private static final String ENV_PREFIX = "RRAMLAB_";

    private LabConfig() {}

    public static Config load(Map<String, String> overrides) {
        return load(overrides, System.getenv());
    }

    /**
     * @throws IllegalArgumentException with a message naming the offending key or variable
     */
    public static Config load(Map<String, String> overrides, Map<String, String> env) {
        Config reference = ConfigFactory.parseResources("rramlab.conf");
        if (reference.isEmpty()) {
            throw new IllegalStateException("rramlab.conf is missing from the classpath; rebuild with ./rramlab");
        }
        Config top = fromOverrides(overrides, reference)
                .withFallback(fromEnvironment(env, reference))
                .withFallback(ConfigFactory.systemEnvironmentOverrides())
                .withFallback(ConfigFactory.systemProperties());
        // system properties are part of `top`, so ${user.home} resolves; ${?VAR} falls back to the environment
        Config own = top.withFallback(reference).resolve();
        LabSettings settings = LabSettings.from(own);
        Config derived = PekkoSettings.derive(settings).withFallback(ArteryTls.derive(own));
        return top.withFallback(derived).withFallback(reference).withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    /** KEY=VALUE pairs; a key without a known root is taken under rramlab. */
    static Config fromOverrides(Map<String, String> overrides, Config reference) {
        Config out = ConfigFactory.empty("--config");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey().trim();
            if (!key.startsWith("rramlab.") && !key.startsWith("pekko.") && !key.contains("jdbc")) {
                key = "rramlab." + key;
            }
            requireKnown(key, reference, "--config " + e.getKey());
            out = out.withValue(key, parseValue(e.getValue()));
        }
        return out;
    }

    static Config fromEnvironment(Map<String, String> env, Config reference) {
        Config out = ConfigFactory.empty("environment");
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || ALIASES.contains(name)) {
                continue;
            }
            String key = "rramlab." + name.substring(ENV_PREFIX.length())
                    .replace("__", "\u0000").replace('_', '.').replace('\u0000', '-').toLowerCase(Locale.ROOT);
            requireKnown(key, reference, "environment variable " + name);
            out = out.withValue(key, parseValue(e.getValue()));
        }
        return out;
    }

    /** Parses a value as HOCON (numbers, booleans, lists, durations); other text stays a string. */
    private static ConfigValue parseValue(String value) {
        try {
            Config parsed = ConfigFactory.parseString("v = " + value);
            if (parsed.hasPath("v")) {
                return parsed.getValue("v");
            }
        } catch (ConfigException ignored) {
            // not HOCON syntax: take it as text below
        }
        return ConfigValueFactory.fromAnyRef(value);
    }

    private static void requireKnown(String key, Config reference, String source) {
        if (key.startsWith("rramlab.") && !reference.hasPathOrNull(key)) {
            throw new IllegalArgumentException(source + " names no setting: '" + key
                    + "' is not in rramlab.conf; run `rramlab run --print-config` to list the settings");
        }
    }

    /** Settings shown by --print-config besides rramlab.*: what the node derives for Pekko. */
    private static final List<String> DERIVED_SHOWN = List.of("pekko.persistence.journal.plugin",
            "pekko-persistence-jdbc.shared-databases.default.profile",
            "pekko-persistence-jdbc.shared-databases.default.db.url",
            "pekko.remote.artery.transport", "pekko.remote.artery.canonical.hostname", "pekko.remote.artery.canonical.port",
            "pekko.cluster.seed-nodes", "pekko.cluster.roles",
            "pekko.cluster.split-brain-resolver.active-strategy", "pekko.cluster.split-brain-resolver.stable-after");

    /** The rramlab settings and the Pekko settings derived from them, as HOCON for people. */
    public static String render(Config config) {
        StringBuilder out = new StringBuilder("# effective configuration: rramlab.* and the Pekko settings derived from it\n");
        Config shown = config.getConfig("rramlab");
        if (!shown.getString("journal.postgres.password").isEmpty()) {
            shown = shown.withValue("journal.postgres.password", ConfigValueFactory.fromAnyRef("(set, not shown)"));
        }
        shown = shown.withValue("journal.postgres.url", ConfigValueFactory.fromAnyRef(
                withoutSecrets(shown.getString("journal.postgres.url"))));
        for (String role : List.of("operator", "viewer")) {
            String key = "http.tokens." + role;
            int n = shown.getList(key).size();
            if (n > 0) {
                shown = shown.withValue(key, ConfigValueFactory.fromAnyRef("(" + n + " set, not shown)"));
            }
        }
        for (String key : SECRET_KEYS) {
            if (shown.hasPath(key) && !shown.getString(key).isEmpty()) {
                shown = shown.withValue(key, ConfigValueFactory.fromAnyRef("(set, not shown)"));
            }
        }
        out.append(ConfigFactory.empty().withValue("rramlab", shown.root()).root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
        for (String path : DERIVED_SHOWN) {
            String value = config.getValue(path).render(ConfigRenderOptions.concise());
            out.append(path).append(" = ").append(path.endsWith(".url") ? withoutSecrets(value) : value).append('\n');
        }
        return out.toString();
    }

    /** Settings under rramlab that hold a secret (key-store passwords), shown as set or not only. */
    private static final List<String> SECRET_KEYS = List.of("http.tls.key-password", "cluster.tls.key-store-password",
            "cluster.tls.trust-store-password");

    /** A JDBC URL without a password given in it (?password=... or user:password@). */
    public static String withoutSecrets(String url) {
        return url.replaceAll("(?i)(password=)[^&;\"]*", "$1(not shown)").replaceAll("//([^/:@]+):[^/@]*@", "//$1:(not shown)@");
    }
}
