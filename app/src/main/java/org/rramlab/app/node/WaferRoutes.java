package org.rramlab.app.node;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.rramlab.device.characterize.WaferReport;
import org.rramlab.http.ApiErrors;

/**
 * Read-only wafer runs, for the dashboard's wafer map and for export: the per-die JSON-lines files
 * {@code rramlab device wafer --out <data-dir>/wafers/NAME.jsonl} writes (read at each request, so a
 * run in progress shows its dies as they are done).
 * {@code GET /api/wafers} lists them, {@code GET /api/wafers/NAME} is the wafer as
 * {@link WaferReport#toJson}, {@code GET /api/wafers/NAME/dies.csv} one CSV row per die and level,
 * {@code GET /api/wafers/NAME/wafer.h5} the same as HDF5 ({@link WaferHdf5}).
 */
public final class WaferRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private final Path dir;

    /** @param dir the folder of wafer files, {@code <data-dir>/wafers} */
    public WaferRoutes(Path dir) {
        this.dir = dir;
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("wafers", () -> concat(
                pathEnd(() -> get(this::list)),
                pathPrefix(PathMatchers.segment(), name -> concat(
                        pathEnd(() -> get(() -> wafer(name))),
                        path("dies.csv", () -> get(() -> csv(name))),
                        path("wafer.h5", () -> get(() -> hdf5(name))))))));
    }

    private Route list() {
        ObjectNode root = JSON.createObjectNode();
        var arr = root.putArray("wafers");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                    String name = f.getFileName().toString().replaceFirst("\\.jsonl$", "");
                    if (!NAME.matcher(name).matches()) {
                        continue;
                    }
                    List<JsonNode> lines = lines(f);
                    var o = arr.addObject();
                    o.put("name", name);
                    o.put("dies", lines.size());
                    o.put("modified", Files.getLastModifiedTime(f).toInstant().toString());
                }
            } catch (IOException e) {
                return ApiErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, "the wafer folder " + dir + " cannot be read: " + e.getMessage());
            }
        }
        return json(root);
    }

    private Route wafer(String name) {
        return withLines(name, lines -> json(WaferReport.toJson(name, lines)));
    }

    private Route csv(String name) {
        return withLines(name, lines -> complete(HttpResponse.create().withStatus(StatusCodes.OK).withEntity(
                HttpEntities.create(ContentTypes.TEXT_CSV_UTF8, WaferReport.csv(lines).getBytes(StandardCharsets.UTF_8)))));
    }

    private static final org.apache.pekko.http.javadsl.model.ContentType HDF5 = ContentTypes.create(
            org.apache.pekko.http.javadsl.model.MediaTypes.applicationBinary("x-hdf5", false, "h5"));

    /** Small (a few kB per die): written to a temporary file, served from memory. */
    private Route hdf5(String name) {
        return withLines(name, lines -> {
            Path tmp = null;
            try {
                tmp = Files.createTempFile("rramlab-wafer-", ".h5");
                WaferHdf5.write(name, lines, tmp);
                byte[] body = Files.readAllBytes(tmp);
                return complete(HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.create(HDF5, body)));
            } catch (IOException | RuntimeException e) {
                return ApiErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, "the wafer '" + name + "' cannot be written as HDF5: "
                        + e.getMessage());
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // a temporary file; the OS cleans it
                    }
                }
            }
        });
    }

    private Route withLines(String name, java.util.function.Function<List<JsonNode>, Route> then) {
        if (!NAME.matcher(name).matches()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "a wafer name is letters, digits, '.', '_' and '-' (the file name of"
                    + " <data-dir>/wafers/NAME.jsonl without .jsonl), got '" + name + "'");
        }
        Path file = dir.resolve(name + ".jsonl");
        try {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            return then.apply(lines(file));
        } catch (NoSuchFileException e) {
            return ApiErrors.error(StatusCodes.NOT_FOUND, "no wafer '" + name + "' in " + dir + ": run ./rramlab device wafer ... --out "
                    + file + " (GET /api/wafers lists the wafers there)");
        } catch (IOException e) {
            return ApiErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, "the wafer file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** The dies of a file; a torn last line (a run killed while writing) is left out, as the resumed run redoes it. */
    static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(l);
                if (n != null && n.has("die")) {
                    out.add(n);
                }
            } catch (IOException torn) {
                // left out
            }
        }
        return out;
    }

    private static Route json(JsonNode body) {
        try {
            return complete(HttpResponse.create().withStatus(StatusCodes.OK)
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body))));
        } catch (IOException e) {
            return ApiErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, e.getMessage());
        }
    }
}
