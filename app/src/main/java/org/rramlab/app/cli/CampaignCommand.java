package org.rramlab.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Drift campaigns on a running node, over its HTTP API. */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = {"Start, watch and steer drift campaigns on a running node (see docs/campaigns.md)."},
        subcommands = {CampaignCommand.Start.class, CampaignCommand.Status.class, CampaignCommand.Pause.class,
            CampaignCommand.Resume.class, CampaignCommand.Abort.class})
public final class CampaignCommand extends GroupCommand {

    /** The node to talk to and the HTTP exchange with it. */
    static final class Node {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Option(names = "--node", defaultValue = "http://127.0.0.1:8080",
                description = "Base URL of the node (default ${DEFAULT-VALUE}).")
        String node;

        @Option(names = "--json", description = "Print the node's JSON answer as it is.")
        boolean json;

        @Option(names = "--token", defaultValue = "${env:RRAMLAB_TOKEN}",
                description = "Bearer token: operator to change campaigns, viewer to read (default $RRAMLAB_TOKEN;"
                        + " `rramlab run` prints the generated ones at first start).")
        String token;

        record Answer(int status, JsonNode body) {}

        Answer call(String method, String path, String body) throws IOException, InterruptedException {
            URI uri;
            try {
                uri = URI.create(node.replaceAll("/+$", "") + path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--node " + node + " is not a URL; give one like http://127.0.0.1:8080");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(150))
                    .header("Content-Type", "application/json");
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token.trim());
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                        .send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new IllegalStateException("cannot reach the node at " + node + " (connection refused); start one with"
                        + " `rramlab run` or pass --node URL");
            } catch (HttpTimeoutException e) {
                throw new IllegalStateException("the node at " + node + " did not answer in time; check that it is"
                        + " running and ready (" + node + "/ready)");
            } catch (IOException e) {
                throw new IllegalStateException("cannot reach the node at " + node + " (" + e + "); check --node");
            }
            JsonNode parsed;
            try {
                parsed = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException("the node at " + node + " answered " + response.statusCode()
                        + " with something that is not JSON; is --node pointing at a rramlab node?");
            }
            return new Answer(response.statusCode(), parsed);
        }

        /** Prints the answer: a readable summary, the JSON itself with --json, or the error. */
        int show(Answer a, PrintWriter out, PrintWriter err) {
            if (a.status() >= 400) {
                err.println("rramlab campaign: " + (a.body().has("error") ? a.body().get("error").asText() : "HTTP " + a.status()));
                return 1;
            }
            if (json) {
                out.println(a.body().toPrettyString());
            } else if (a.body().isArray()) {
                if (a.body().isEmpty()) {
                    out.println("no campaigns");
                }
                a.body().forEach(c -> out.println(oneLine(c)));
            } else {
                out.println(describe(a.body()));
            }
            out.flush();
            return 0;
        }

        static String oneLine(JsonNode c) {
            return String.format("%-24s %-10s read %d of %d", c.path("id").asText(), c.path("state").asText(),
                    c.path("step").asInt(), c.path("reads").asInt());
        }

        static String describe(JsonNode c) {
            StringBuilder s = new StringBuilder();
            s.append("campaign ").append(c.path("id").asText()).append(": ").append(c.path("state").asText())
                    .append(", ").append(c.path("step").asInt()).append(" of ").append(c.path("reads").asInt())
                    .append(" reads taken\n");
            s.append("  arrays:    ").append(c.path("arrays")).append('\n');
            if (c.hasNonNull("phase")) {
                s.append("  now:       ").append(c.path("phase").asText()).append('\n');
            }
            if (c.hasNonNull("next_read_at")) {
                s.append("  next read: ").append(c.path("next_read_at").asText()).append('\n');
            }
            if (c.hasNonNull("last_error")) {
                s.append("  last error: ").append(c.path("last_error").asText()).append('\n');
            }
            if (c.hasNonNull("end_reason")) {
                s.append("  ended:     ").append(c.path("ended_at").asText()).append(" (")
                        .append(c.path("end_reason").asText()).append(")\n");
            }
            JsonNode interruptions = c.path("interruptions");
            s.append("  interruptions: ").append(interruptions.size());
            for (JsonNode i : interruptions) {
                s.append("\n    ").append(i.path("from").asText()).append("  ")
                        .append(i.hasNonNull("seconds") ? i.path("seconds").asDouble() + " s" : "ongoing")
                        .append("  ").append(i.path("reason").asText());
            }
            return s.toString();
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Create and start a campaign, from a JSON spec file or from flags.",
                "Example: rramlab campaign start --id drift-1 --arrays sim-1,sim-2 --interval 600 --reads 144"
                        + " --acceleration 600 --bake 10:358.15:3600"})
    static final class Start implements Callable<Integer> {
        @Mixin
        Node node;
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--spec", description = "JSON spec file (the body of POST /api/campaigns); flags given too override it.")
        Path specFile;
        @Option(names = "--id", description = "Campaign id (default: one is made up).")
        String id;
        @Option(names = "--arrays", split = ",", description = "Ids of registered arrays, comma-separated.")
        List<String> arrays;
        @Option(names = "--pattern", description = "What to program: every-level (default), level, levels, keep.")
        String pattern;
        @Option(names = "--level", description = "The level for --pattern level.")
        Integer level;
        @Option(names = "--interval", description = "Array time between reads, in seconds.")
        Double interval;
        @Option(names = "--reads", description = "Number of reads.")
        Integer reads;
        @Option(names = "--duration", description = "Array time to cover, in seconds (instead of --reads).")
        Double duration;
        @Option(names = "--acceleration", description = "Array seconds per wall second (simulated arrays; default 1).")
        Double acceleration;
        @Option(names = "--write-verify", description = "Program with write-verify.")
        boolean writeVerify;
        @Option(names = "--block", description = "Cells to program and read: ROW0,COL0,ROWS,COLS (default: the whole array).")
        String block;
        @Option(names = "--bake", paramLabel = "AFTER:KELVIN:SECONDS",
                description = "A bake after read AFTER (0 = the first) at KELVIN for SECONDS of array time; repeatable.")
        List<String> bakes = new ArrayList<>();
        @Option(names = "--ambient", description = "Temperature after a bake, in kelvin (default 300).")
        Double ambient;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = specFile != null ? readSpec(specFile) : Node.JSON.createObjectNode();
            if (id != null) {
                body.put("id", id);
            }
            if (arrays != null) {
                ArrayNode a = body.putArray("arrays");
                arrays.forEach(a::add);
            }
            if (pattern != null || level != null) {
                ObjectNode p = body.putObject("program");
                p.put("pattern", pattern != null ? pattern : "level");
                if (level != null) {
                    p.put("level", level);
                }
            }
            putIfSet(body, "interval_seconds", interval);
            putIfSet(body, "duration_seconds", duration);
            putIfSet(body, "acceleration", acceleration);
            putIfSet(body, "ambient_kelvin", ambient);
            if (reads != null) {
                body.put("reads", reads);
            }
            if (writeVerify) {
                body.put("write_verify", true);
            }
            if (block != null) {
                String[] p = block.split(",");
                if (p.length != 4) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--block " + block + ": give ROW0,COL0,ROWS,COLS, e.g. 0,0,64,64");
                }
                ObjectNode b = body.putObject("block");
                String[] names = {"row0", "col0", "rows", "cols"};
                for (int i = 0; i < 4; i++) {
                    b.put(names[i], this.<Integer>parsed("--block", p[i], Integer::valueOf, "a whole number"));
                }
            }
            if (!bakes.isEmpty()) {
                ArrayNode a = body.putArray("bakes");
                for (String bake : bakes) {
                    String[] p = bake.split(":");
                    if (p.length != 3) {
                        throw new CommandLine.ParameterException(spec.commandLine(),
                                "--bake " + bake + ": give AFTER:KELVIN:SECONDS, e.g. 10:358.15:3600");
                    }
                    a.addObject().put("after_read", this.<Integer>parsed("--bake", p[0], Integer::valueOf, "a whole number"))
                            .put("temperature_kelvin", this.<Double>parsed("--bake", p[1], Double::valueOf, "a number"))
                            .put("duration_seconds", this.<Double>parsed("--bake", p[2], Double::valueOf, "a number"));
                }
            }
            return node.show(node.call("POST", "/api/campaigns", body.toString()),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }

        private ObjectNode readSpec(Path file) {
            try {
                JsonNode tree = Node.JSON.readTree(Files.readString(file));
                if (!(tree instanceof ObjectNode o)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--spec " + file + " holds no JSON object");
                }
                return o;
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--spec " + file + ": " + e.getMessage());
            }
        }

        private <T> T parsed(String option, String text, java.util.function.Function<String, T> parse, String what) {
            try {
                return parse.apply(text.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + ": '" + text + "' is not " + what);
            }
        }

        private static void putIfSet(ObjectNode body, String field, Double value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show one campaign, or list them all.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Node node;
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(arity = "0..1", paramLabel = "ID", description = "Campaign id; none lists every campaign.")
        String id;

        @Override
        public Integer call() throws Exception {
            return node.show(node.call("GET", "/api/campaigns" + (id == null ? "" : "/" + id), null),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** pause, resume and abort: one POST each. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        Node node;
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "ID", description = "Campaign id.")
        String id;

        abstract String path();

        @Override
        public Integer call() throws Exception {
            return node.show(node.call("POST", "/api/campaigns/" + id + path(), null),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a campaign (no reads until resumed).")
    static final class Pause extends Action {
        String path() {
            return "/pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused campaign.")
    static final class Resume extends Action {
        String path() {
            return "/resume";
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Abort a campaign for good.")
    static final class Abort extends Action {
        @Option(names = "--reason", description = "Why, kept with the campaign.")
        String reason;

        String path() {
            return "/abort" + (reason == null ? "" : "?reason=" + java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
