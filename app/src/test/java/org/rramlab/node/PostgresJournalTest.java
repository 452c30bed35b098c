package org.rramlab.node;

import org.rramlab.app.node.LabNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production journal: the same node on PostgreSQL instead of H2, by configuration only.
 * `./rramlab test` starts a local server and sets TEST_RRAMLAB_POSTGRES_*.
 */
class PostgresJournalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void theNodeKeepsItsEventSourcedStateInPostgres() throws Exception {
        String url = System.getenv("TEST_RRAMLAB_POSTGRES_URL");
        assertNotNull(url, "TEST_RRAMLAB_POSTGRES_URL is not set: run the tests with `./rramlab test`, which"
                + " starts a local PostgreSQL, or point the TEST_RRAMLAB_POSTGRES_* variables at a server");
        Map<String, String> overrides = new java.util.HashMap<>(LabNodeTest.TOKENS);
        overrides.putAll(Map.of(
                "rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()),
                "rramlab.http.port", "0",
                "rramlab.journal.kind", "postgres",
                "rramlab.journal.postgres.url", ConfigUtil.quoteString(url),
                "rramlab.journal.postgres.user", ConfigUtil.quoteString(System.getenv("TEST_RRAMLAB_POSTGRES_USER")),
                "rramlab.journal.postgres.password", ConfigUtil.quoteString(System.getenv("TEST_RRAMLAB_POSTGRES_PASSWORD"))));
        long before;
        try (LabNode node = LabNode.start(LabConfig.load(overrides, Map.of()))) {
            JsonNode ready = LabNodeTest.awaitReady(node);
            assertTrue(ready.at("/parts/journal/detail").asText().startsWith("postgres "), ready.toString());
            before = JSON.readTree(LabNodeTest.get(node, "/api/node").body()).get("starts").asLong();
            assertTrue(before >= 1);
        }
        try (LabNode node = LabNode.start(LabConfig.load(overrides, Map.of()))) {
            LabNodeTest.awaitReady(node);
            JsonNode history = JSON.readTree(LabNodeTest.get(node, "/api/node").body());
            assertEquals(before + 1, history.get("starts").asLong(), "the start history came back from PostgreSQL");
            assertTrue(history.get("running").asBoolean());
        }
    }
}
