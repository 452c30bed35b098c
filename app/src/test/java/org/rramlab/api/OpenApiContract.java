package org.rramlab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.OpenApi30;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The node's OpenAPI document as a contract: a response is checked against the schema the
 * document gives for its path, method and status, by networknt's json-schema-validator in its
 * OpenAPI 3.0 dialect (nullable, the components' $refs).
 */
final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode document;
    private final SchemaRegistry registry = SchemaRegistry.withDialect(OpenApi30.getInstance());

    OpenApiContract(String document) throws Exception {
        this.document = JSON.readTree(document);
    }

    JsonNode paths() {
        return document.get("paths");
    }

    /** The document's path template a concrete path matches (a literal path before a templated one), or null. */
    String template(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (paths().has(bare)) {
            return bare;
        }
        for (Iterator<String> it = paths().fieldNames(); it.hasNext(); ) {
            String t = it.next();
            if (bare.matches(t.replaceAll("\\{[^}]+}", "[^/]+"))) {
                return t;
            }
        }
        return null;
    }

    /** What is wrong with a response by the document; empty when it keeps the contract. */
    List<String> check(String method, String path, int status, String body) throws Exception {
        List<String> out = new ArrayList<>();
        String where = method + " " + path + " -> " + status;
        String template = template(path);
        if (template == null) {
            return List.of(where + ": the path is not in the document");
        }
        JsonNode operation = paths().get(template).get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            return List.of(where + ": " + method + " is not documented for " + template);
        }
        JsonNode response = operation.path("responses").get(String.valueOf(status));
        if (response == null) {
            response = operation.path("responses").get("default");
        }
        if (response == null) {
            return List.of(where + ": status " + status + " is not documented for " + method + " " + template);
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode() || body == null || body.isBlank()) {
            return out;
        }
        // the response's schema with the document's components beside it, so its $refs resolve
        ObjectNode root = schema.deepCopy();
        root.set("components", document.get("components"));
        Schema s = registry.getSchema(JSON.writeValueAsString(root), InputFormat.JSON);
        for (Error e : s.validate(body, InputFormat.JSON)) {
            out.add(where + ": " + e.getInstanceLocation() + " " + e.getMessage());
        }
        return out;
    }

    /** The document's operations as "METHOD template". */
    List<String> operations() {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths().fields(); it.hasNext(); ) {
            var e = it.next();
            e.getValue().fieldNames().forEachRemaining(m -> out.add(m.toUpperCase(Locale.ROOT) + " " + e.getKey()));
        }
        return out;
    }
}
