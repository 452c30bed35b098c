package org.rramlab.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Journals written before the campaign registry became {@link EntityRegistry} hold its events
 * under the old class name, with the id as "campaignId"; this reads them as the new class.
 */
public final class RegistryRenamed extends JacksonMigration {
    @Override
    public int currentVersion() {
        return 2;
    }

    @Override
    public String transformClassName(int fromVersion, String className) {
        return EntityRegistry.Added.class.getName();
    }

    @Override
    public JsonNode transform(int fromVersion, JsonNode json) {
        if (json instanceof ObjectNode o && o.has("campaignId")) {
            o.set("id", o.remove("campaignId"));
        }
        return json;
    }
}
