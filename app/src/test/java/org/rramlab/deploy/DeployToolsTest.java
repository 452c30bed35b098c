package org.rramlab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy files checked by their own tools: the systemd unit by `systemd-analyze verify` and
 * `systemd-analyze security` (exposure 4.0 or lower), the Kubernetes manifests by the fabric8
 * Kubernetes model read strictly (a field the API does not know is refused), compose by its
 * health checks and secrets.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DeployToolsTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    /** The image's user and group (deploy/Dockerfile). */
    private static final long UID = 10001;
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "ServiceAccount", ServiceAccount.class, "Role", Role.class, "RoleBinding", RoleBinding.class,
            "ConfigMap", ConfigMap.class, "Service", Service.class, "StatefulSet", StatefulSet.class);

    @TempDir
    Path dir;

    record Run(int exit, String out) {}

    private static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return new Run(p.exitValue(), out);
    }

    /** The unit with its install folder pointing at a stand-in launcher here (verify checks ExecStart exists). */
    private Path unitHere(String unit) throws IOException {
        Path opt = Files.createDirectories(dir.resolve("opt"));
        Path launcher = opt.resolve("rramlab");
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        assertTrue(launcher.toFile().setExecutable(true));
        Path file = dir.resolve("rramlab.service");
        Files.writeString(file, unit.replace("/opt/rramlab", opt.toString()));
        return file;
    }

    @Test
    void theSystemdUnitPassesVerifyAndSecurityWithExposureAtMost4() throws Exception {
        String unit = Files.readString(DEPLOY.resolve("systemd/rramlab.service"));
        Path file = unitHere(unit);
        Run verify = run("systemd-analyze", "verify", file.toString());
        assertEquals(0, verify.exit(), verify.out());
        assertEquals("", verify.out().strip(), "no warning: " + verify.out());
        Run security = run("systemd-analyze", "security", "--offline=true", "--threshold=40", file.toString());
        Matcher m = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)").matcher(security.out());
        assertTrue(m.find(), security.out());
        double exposure = Double.parseDouble(m.group(1));
        assertTrue(exposure <= 4.0, "exposure " + exposure + ":\n" + security.out());
        assertEquals(0, security.exit(), security.out());
        // a stop by SIGTERM is a success for systemd, and the node gets the time its own stop takes
        assertTrue(unit.lines().anyMatch(l -> l.matches("SuccessExitStatus=.*\\b143\\b.*")), unit);
        assertTrue(unit.contains("ExecStart=/opt/rramlab/rramlab run --tls-self-signed"), "HTTPS only");

        // the check can fail: the unit as it was (exposure 8.9) does not pass
        Path loose = unitHere(unit.replaceAll("(?m)^(Protect|Private|Restrict|SystemCall|Capability|NoNewPriv|UMask|"
                + "LockPersonality|RemoveIPC|KeyringMode|DevicePolicy|AmbientCap)[^\\n]*\\n", ""));
        Run looseSecurity = run("systemd-analyze", "security", "--offline=true", "--threshold=40", loose.toString());
        assertTrue(looseSecurity.exit() != 0, looseSecurity.out());
    }

    /** Every manifest of the file as its fabric8 model; a field the model does not know fails. */
    static List<HasMetadata> strictly(String yaml) throws IOException {
        ObjectMapper mapper = new YAMLMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        List<HasMetadata> out = new ArrayList<>();
        try (var docs = mapper.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                String kind = doc.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                if (type == null) {
                    throw new AssertionError("a kind this test does not know: " + kind);
                }
                HasMetadata resource = mapper.treeToValue(doc, type);
                // fabric8's models keep fields they do not know in additionalProperties: none may be there
                List<String> unknown = new ArrayList<>();
                unknownFields(resource, kind + " " + resource.getMetadata().getName(), unknown, new IdentityHashMap<>());
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("fields the Kubernetes API does not know: " + unknown);
                }
                assertEquals(doc.path("apiVersion").asText(), resource.getApiVersion(), kind);
                out.add(resource);
            }
        }
        return out;
    }

    private static void unknownFields(Object o, String where, List<String> out, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Iterable<?> it) {
            int i = 0;
            for (Object e : it) {
                unknownFields(e, where + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, where + "." + k, out, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        out.add(where + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(v, where + "." + m.getName().substring(3), out, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theKubernetesManifestsReadStrictlyRunUnprivilegedWithTlsAndSecrets() throws Exception {
        String yaml = Files.readString(DEPLOY.resolve("kubernetes/rramlab.yaml"));
        List<HasMetadata> all = strictly(yaml);
        StatefulSet set = all.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).findFirst()
                .orElseThrow();
        PodSpec pod = set.getSpec().getTemplate().getSpec();
        var security = pod.getSecurityContext();
        assertEquals(UID, security.getFsGroup(), "the data volume is the image user's");
        assertEquals(UID, security.getRunAsUser());
        assertTrue(security.getRunAsNonRoot());
        assertEquals("RuntimeDefault", security.getSeccompProfile().getType());
        Container node = pod.getContainers().get(0);
        assertFalse(node.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(node.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), node.getSecurityContext().getCapabilities().getDrop());
        assertTrue(node.getArgs().containsAll(List.of("--tls-cert", "--tls-key")), node.getArgs().toString());
        assertEquals("HTTPS", node.getReadinessProbe().getHttpGet().getScheme());
        assertEquals("HTTPS", node.getLivenessProbe().getHttpGet().getScheme());
        // the database password comes from a secret file, nowhere as a value
        assertTrue(node.getEnv().stream().anyMatch(e -> e.getName().equals("RRAMLAB_JOURNAL_POSTGRES_PASSWORD__FILE")));
        assertTrue(node.getEnv().stream().noneMatch(e -> e.getName().equals("RRAMLAB_JOURNAL_POSTGRES_PASSWORD")));
        // so do the API tokens and the cluster's TLS stores: no secret reaches the node as a variable
        assertTrue(node.getEnv().stream().noneMatch(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null),
                "a secret as a variable: " + node.getEnv());
        var env = new java.util.HashMap<String, String>();
        node.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        assertEquals("/etc/rramlab/secrets/operator-token", env.get("RRAMLAB_HTTP_TOKENS_OPERATOR__FILE"));
        assertEquals("/etc/rramlab/secrets/viewer-token", env.get("RRAMLAB_HTTP_TOKENS_VIEWER__FILE"));
        assertFalse(env.containsKey("RRAMLAB_HTTP_TOKENS_OPERATOR") || env.containsKey("RRAMLAB_HTTP_TOKENS_VIEWER"));
        assertEquals("/etc/rramlab/cluster-tls/cluster-keystore.p12", env.get("RRAMLAB_CLUSTER_TLS_KEY__STORE"));
        assertEquals("/etc/rramlab/cluster-tls/cluster-password", env.get("RRAMLAB_CLUSTER_TLS_KEY__STORE__PASSWORD__FILE"));
        var secretVolumes = new java.util.HashMap<String, String>();
        pod.getVolumes().stream().filter(v -> v.getSecret() != null)
                .forEach(v -> secretVolumes.put(v.getName(), v.getSecret().getSecretName()));
        assertEquals("rramlab-cluster-tls", secretVolumes.get("cluster-tls"));
        var items = pod.getVolumes().stream().filter(v -> v.getName().equals("secrets")).findFirst().orElseThrow()
                .getSecret().getItems().stream().map(i -> i.getKey()).toList();
        assertTrue(items.containsAll(List.of("postgres-password", "operator-token", "viewer-token")), items.toString());
        ConfigMap config = all.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).findFirst().orElseThrow();
        assertTrue(config.getData().keySet().stream().noneMatch(k -> k.contains("PASSWORD") || k.contains("TOKEN")),
                config.getData().keySet().toString());
        // the image runs as the user the pod names
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("USER " + UID + ":" + UID), dockerfile);

        // the reading is strict: a misspelt field is refused, not ignored
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> strictly(yaml.replace("fsGroupChangePolicy:", "fsGroupChangePolicyy:")));
        assertTrue(typo.getMessage().contains("fsGroupChangePolicyy"), typo.getMessage());
    }

    @Test
    void composeHasHealthChecksAndReadsThePasswordFromASecret() throws Exception {
        // SnakeYAML resolves the merge keys (<<: *node) as compose does
        Object loaded = new org.yaml.snakeyaml.Yaml().load(Files.readString(DEPLOY.resolve("compose.yaml"))
                .replaceAll("\\$\\{[A-Z_]+(:[?-][^}]*)?}", "sample"));
        JsonNode compose = new ObjectMapper().valueToTree(loaded);
        JsonNode services = compose.get("services");
        JsonNode anchors = compose;
        int checked = 0;
        for (var it = services.fields(); it.hasNext(); ) {
            var service = it.next();
            JsonNode s = service.getValue();
            JsonNode test = s.path("healthcheck").path("test");
            assertTrue(test.isArray() && test.size() > 1 && test.get(0).asText().equals("CMD"),
                    service.getKey() + " has a health check: " + s);
            checked++;
            if (service.getKey().startsWith("node-")) {
                for (String needed : List.of("postgres", "kafka-1", "kafka-2", "kafka-3")) {
                    assertEquals("service_healthy", s.path("depends_on").path(needed).path("condition").asText(),
                            service.getKey() + " waits for a healthy " + needed);
                }
                assertTrue(s.path("healthcheck").toString().contains("https://"), "the nodes serve HTTPS only");
                assertTrue(s.path("secrets").toString().contains("postgres-password"));
            }
        }
        assertEquals(7, checked);
        JsonNode postgres = services.get("postgres").get("environment");
        assertFalse(postgres.has("POSTGRES_PASSWORD"), "no password in the file");
        assertEquals("/run/secrets/postgres-password", postgres.path("POSTGRES_PASSWORD_FILE").asText());
        assertEquals("./secrets/postgres-password", anchors.path("secrets").path("postgres-password").path("file").asText());
        String env = Files.readString(DEPLOY.resolve("cluster-node.env"));
        assertFalse(env.contains("POSTGRES_PASSWORD="), "no password in the nodes' environment file");
        assertTrue(env.contains("RRAMLAB_JOURNAL_POSTGRES_PASSWORD__FILE=/run/secrets/postgres-password"));
        // the API tokens and the cluster's TLS stores: files from compose secrets, never a value in the files
        for (String line : List.of("RRAMLAB_HTTP_TOKENS_OPERATOR__FILE=/run/secrets/operator-token",
                "RRAMLAB_HTTP_TOKENS_VIEWER__FILE=/run/secrets/viewer-token",
                "RRAMLAB_CLUSTER_TLS_KEY__STORE=/run/secrets/cluster-keystore",
                "RRAMLAB_CLUSTER_TLS_TRUST__STORE=/run/secrets/cluster-truststore",
                "RRAMLAB_CLUSTER_TLS_KEY__STORE__PASSWORD__FILE=/run/secrets/cluster-password")) {
            assertTrue(env.lines().anyMatch(line::equals), "cluster-node.env has " + line);
        }
        String raw = Files.readString(DEPLOY.resolve("compose.yaml"));
        assertFalse(raw.matches("(?s).*RRAMLAB_HTTP_TOKENS_(OPERATOR|VIEWER)\\s*[:=].*"), "a token as a variable in compose.yaml");
        assertFalse(env.matches("(?s).*RRAMLAB_HTTP_TOKENS_(OPERATOR|VIEWER)=.*"), "a token as a variable in cluster-node.env");
        for (var it = services.fields(); it.hasNext(); ) {
            var service = it.next();
            if (service.getKey().startsWith("node-")) {
                for (String secret : List.of("operator-token", "viewer-token", "cluster-keystore", "cluster-truststore",
                        "cluster-password")) {
                    assertTrue(service.getValue().path("secrets").toString().contains("\"" + secret + "\""),
                            service.getKey() + " mounts the secret " + secret);
                    assertTrue(anchors.path("secrets").path(secret).path("file").asText().startsWith("./secrets/"), secret);
                }
            }
        }
    }
}
