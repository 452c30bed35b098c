package org.rramlab.app.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The node to talk to for file transfers (export, import): streamed to and from disk, long timeouts. */
final class NodeHttp {
    @Option(names = "--node", defaultValue = "http://127.0.0.1:8080",
            description = "Base URL of the node (default ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--token", defaultValue = "${env:RRAMLAB_TOKEN}",
            description = "Bearer token: viewer to export, operator to import (default $RRAMLAB_TOKEN).")
    String token;

    HttpRequest.Builder request(String path) {
        URI uri;
        try {
            uri = URI.create(node.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--node " + node + " is not a URL; give one like http://127.0.0.1:8080");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofHours(6));
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token.trim());
        }
        return b;
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(request, handler);
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach the node at " + node + " (connection refused); start one with"
                    + " `rramlab run` or pass --node URL");
        }
    }

    /** The node's error message from a JSON error body, or the body itself. */
    static String error(int status, String body) {
        try {
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            if (tree != null && tree.has("error")) {
                return "HTTP " + status + ": " + tree.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: shown as it is
        }
        return "HTTP " + status + ": " + body;
    }

    static String readAndDelete(Path file) throws IOException {
        String body = Files.exists(file) ? Files.readString(file) : "";
        Files.deleteIfExists(file);
        return body;
    }
}
