package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.app.cli.BrokerCommand;
import org.rramlab.node.LabConfig;
import org.rramlab.node.LabSettings;
import picocli.CommandLine;

/**
 * The deploy files pass only settings the node accepts: every RRAMLAB_* variable of the compose
 * file, the Kubernetes manifests and the systemd unit goes through the node's own configuration
 * loading (what `rramlab run --print-config` shows), and every broker command line through the
 * broker command's parser.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Loads the configuration as the node would with this environment, and renders it as --print-config does. */
    private static Config accepted(Map<String, String> env, String where) {
        // RRAMLAB_DATA_DIR is read by rramlab.conf from the process's own environment: pass it as the key it sets
        Map<String, String> overrides = env.containsKey("RRAMLAB_DATA_DIR")
                ? Map.of("rramlab.data-dir", com.typesafe.config.ConfigUtil.quoteString(env.get("RRAMLAB_DATA_DIR"))) : Map.of();
        try {
            Config c = LabConfig.load(overrides, withSecretFiles(env));
            LabSettings.from(c);
            assertFalse(LabConfig.render(c).isBlank());
            return c;
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": the node refuses its settings: " + e.getMessage(), e);
        }
    }

    /**
     * A secret mounted as a file (/run/secrets/..., /etc/rramlab/secrets/...): a sample file here; the
     * cluster's TLS stores and their password: stores `rramlab cluster keys` made.
     */
    private static Map<String, String> withSecretFiles(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(env);
        out.replaceAll((name, value) -> {
            if (name.startsWith("RRAMLAB_CLUSTER_TLS_")) {
                Path keys = clusterKeys();
                return keys.resolve(name.endsWith("KEY__STORE") ? org.rramlab.app.cluster.ClusterKeys.KEY_STORE
                        : name.endsWith("TRUST__STORE") ? org.rramlab.app.cluster.ClusterKeys.TRUST_STORE
                        : org.rramlab.app.cluster.ClusterKeys.PASSWORD).toString();
            }
            if (!name.endsWith("__FILE")) {
                return value;
            }
            try {
                Path f = Files.createTempFile("secret-", "");
                f.toFile().deleteOnExit();
                Files.writeString(f, "sample-secret-0123456789\n");
                return f.toString();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return out;
    }

    private static Path keys;

    private static synchronized Path clusterKeys() {
        if (keys == null) {
            try {
                Path dir = Files.createTempDirectory("cluster-keys-");
                org.rramlab.app.cluster.ClusterKeys.make(dir, 2);
                keys = dir;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return keys;
    }

    private static String substituted(String compose) {
        // ${NAME:?message} and ${NAME} take a sample value, as the shell would give them
        return compose.replaceAll("\\$\\{[A-Z_]+(:[?-][^}]*)?}", "sample-token");
    }

    /** NAME=VALUE lines, as compose reads an env_file (no quotes around values). */
    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String l : Files.readAllLines(file)) {
            String t = l.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                env.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
            }
        }
        return env;
    }

    @Test
    void composeNodesAndBrokersPassSettingsTheyAccept() throws IOException {
        JsonNode compose = YAML.readTree(substituted(Files.readString(DEPLOY.resolve("compose.yaml"))));
        JsonNode services = compose.get("services");
        int nodes = 0;
        int brokers = 0;
        for (var it = services.fields(); it.hasNext(); ) {
            var service = it.next();
            JsonNode s = service.getValue();
            if (s.has("environment") && s.get("environment").has("RRAMLAB_NODE__NAME")) {
                Map<String, String> env = new LinkedHashMap<>();
                for (JsonNode file : s.path("env_file")) {
                    env.putAll(envFile(DEPLOY.resolve(file.asText())));
                }
                s.get("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
                Config c = accepted(env, "compose service " + service.getKey());
                LabSettings settings = LabSettings.from(c);
                assertEquals(service.getKey(), settings.nodeName());
                assertEquals(LabSettings.JournalKind.POSTGRES, settings.journalKind());
                assertEquals(3, settings.replicationFactor());
                assertEquals(2, settings.minInsyncReplicas());
                assertEquals(service.getKey().equals("node-3") ? List.of("station-a") : List.of(), settings.roles());
                assertEquals(3, c.getString("rramlab.kafka.bootstrap-servers").split(",").length);
                assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"), "the nodes talk over TLS");
                nodes++;
            } else if (s.has("command") && "broker".equals(s.get("command").get(0).asText())) {
                List<String> args = new ArrayList<>();
                s.get("command").forEach(a -> args.add(a.asText()));
                BrokerCommand broker = new BrokerCommand();
                new CommandLine(broker).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
                String clusterId = args.get(args.indexOf("--cluster-id") + 1);
                Uuid.fromString(clusterId);
                assertEquals("3", args.get(args.indexOf("--replication") + 1));
                brokers++;
            }
        }
        assertEquals(3, nodes);
        assertEquals(3, brokers);
        assertTrue(services.has("postgres"));
    }

    @Test
    void kubernetesManifestsPassSettingsTheNodeAcceptsAndProbeReadyAndHealth() throws IOException {
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        List<JsonNode> services = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(DEPLOY.resolve("kubernetes/rramlab.yaml").toFile())) {
            while (docs.hasNext()) {
                JsonNode d = docs.next();
                if ("Service".equals(d.get("kind").asText())) {
                    services.add(d);
                }
                byKind.put(d.get("kind").asText(), d);
            }
        }
        assertTrue(byKind.keySet().containsAll(List.of("ServiceAccount", "Role", "RoleBinding", "ConfigMap", "StatefulSet")),
                byKind.keySet().toString());
        assertEquals(2, services.size());
        Map<String, String> env = new LinkedHashMap<>();
        byKind.get("ConfigMap").get("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        JsonNode pod = byKind.get("StatefulSet").get("spec").get("template").get("spec");
        JsonNode container = pod.get("containers").get(0);
        for (JsonNode e : container.get("env")) {
            String name = e.get("name").asText();
            // values from the pod and secrets: samples of the same shape
            env.put(name, name.contains("TOKENS") ? "[\"sample\"]" : name.equals("RRAMLAB_CLUSTER_HOSTNAME")
                    ? "10.1.2.3" : name.equals("RRAMLAB_NODE__NAME") ? "rramlab-0" : "sample");
        }
        Config config = accepted(env, "kubernetes StatefulSet");
        assertEquals("tls-tcp", config.getString("pekko.remote.artery.transport"), "the nodes talk over TLS");
        LabSettings settings = LabSettings.from(config);
        assertTrue(settings.bootstrap());
        assertEquals("rramlab", settings.bootstrapServiceName());
        assertEquals("/ready", container.get("readinessProbe").get("httpGet").get("path").asText());
        assertEquals("/health", container.get("livenessProbe").get("httpGet").get("path").asText());
        // a graceful stop: the node gets the time its own stop may take
        assertTrue(pod.get("terminationGracePeriodSeconds").asLong() >= settings.shutdownTimeout().multipliedBy(3).toSeconds());
        assertEquals("rramlab", pod.get("serviceAccountName").asText());
        List<String> verbs = new ArrayList<>();
        byKind.get("Role").get("rules").get(0).get("verbs").forEach(v -> verbs.add(v.asText()));
        assertTrue(verbs.containsAll(List.of("get", "list", "watch")));
        List<Integer> ports = new ArrayList<>();
        container.get("ports").forEach(p -> ports.add(p.get("containerPort").asInt()));
        assertTrue(ports.containsAll(List.of(settings.httpPort(), settings.clusterPort(), settings.managementPort())), ports.toString());
    }

    @Test
    void systemdUnitPassesSettingsTheNodeAccepts() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern line = Pattern.compile("^Environment=\"?([A-Z_]+)=(.*?)\"?$");
        for (String l : Files.readAllLines(DEPLOY.resolve("systemd/rramlab.service"))) {
            Matcher m = line.matcher(l.trim());
            if (m.matches()) {
                env.put(m.group(1), m.group(2));
            }
        }
        assertTrue(env.containsKey("RRAMLAB_DATA_DIR"), env.toString());
        LabSettings settings = LabSettings.from(accepted(env, "systemd unit"));
        assertEquals(Path.of("/var/lib/rramlab"), settings.dataDir());
        assertEquals(Duration.ofSeconds(20), settings.shutdownTimeout());
        assertTrue(settings.embeddedKafka());
    }

    @Test
    void aSettingTheNodeDoesNotKnowIsCaught() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> accepted(Map.of("RRAMLAB_CLUSTER_SEEDNODES", "[]"), "a typo"));
        assertTrue(e.getMessage().contains("names no setting"), e.getMessage());
    }
}
