package org.rramlab.livearchive;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractDataBytes;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;
import org.rramlab.archive.ArchiveExport;
import org.rramlab.archive.CsvImport;
import org.rramlab.archive.ExportTooLargeException;
import org.rramlab.archive.ImportException;
import org.rramlab.archive.Selection;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rramlab.api.Refusal;
import org.rramlab.api.Replies;
import org.rramlab.array.ArrayActor;
import org.rramlab.array.ArraySummary;
import org.rramlab.campaign.CampaignActor;
import org.rramlab.campaign.CampaignStatus;
import org.rramlab.deploy.OsaSupervisor;
import org.rramlab.http.ApiErrors;
import org.rramlab.http.Json;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.node.RunMetadata;
import org.rramlab.streaming.ConductanceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's data over HTTP:
 * <pre>
 * GET  /api/archive                                  the archive's progress and totals        viewer
 * GET  /api/campaigns/{id}/archive                   where a campaign's data is, how much      viewer
 * GET  /api/campaigns/{id}/export?format=csv|hdf5    the campaign's reads, streamed            viewer
 * POST /api/arrays/{id}/import?format=csv[&metadata={json}]  measured reads in (body: the CSV)  operator
 * </pre>
 * Files are read and written on the blocking-I/O dispatcher, never on an actor's thread. An unknown
 * campaign is a 404 everywhere; an upload over {@code rramlab.archive.import-max-bytes} a 413, and its
 * temporary file is removed whatever becomes of the upload.
 */
public final class ArchiveRoutes {
    private static final Logger log = LoggerFactory.getLogger(ArchiveRoutes.class);
    private static final ContentType.WithCharset CSV = ContentTypes.create(MediaTypes.TEXT_CSV, HttpCharsets.UTF_8);
    private static final ContentType HDF5 = ContentTypes.create(MediaTypes.applicationBinary("x-hdf5", false,
            "h5"));

    private final ActorSystem<?> system;
    private final LabArchive archive;
    private final Actors pipeline;
    private final Duration timeout;
    private final Path scratch;
    private final int levels;
    private final Executor io;
    private final long importMaxBytes;
    private final ImportLedger ledger;

    /** The actors these routes ask. */
    public record Actors(ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays, CampaignActor.Campaigns campaigns,
                         OsaSupervisor.Deployments deployments, ActorRef<MeasurementActor.Command> measurement) {}

    public ArchiveRoutes(ActorSystem<?> system, LabArchive archive, Actors pipeline, Path dataDir, int levels,
                         Duration timeout) {
        this.system = system;
        this.archive = archive;
        this.pipeline = pipeline;
        this.timeout = timeout;
        this.scratch = dataDir.resolve("tmp");
        this.levels = levels;
        this.io = system.dispatchers().lookup(DispatcherSelector.blocking());
        this.importMaxBytes = system.settings().config().getBytes("rramlab.archive.import-max-bytes");
        this.ledger = ImportLedger.open(dataDir);
    }

    /** Removes what uploads and exports left in {@code <data-dir>/tmp} (a stop cut them off); called before serving. */
    public static void removeLeftovers(Path dataDir) {
        Path tmp = dataDir.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (var files = Files.list(tmp)) {
            files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith("import-") || n.startsWith("export-") || n.startsWith("deployment-");
            }).forEach(ArchiveRoutes::deleteQuietly);
        } catch (IOException e) {
            log.warn("leftover files in {} not removed: {}", tmp, e.getMessage());
        }
    }

    public Route routes() {
        return pathPrefix("api", () -> concat(
                path("archive", () -> get(() -> complete(StatusCodes.OK, overview(), Json.marshaller()))),
                pathPrefix("campaigns", () -> pathPrefix(PathMatchers.segment(), this::campaign)),
                pathPrefix("deployments", () -> pathPrefix(PathMatchers.segment(), this::deployment)),
                pathPrefix("arrays", () -> pathEndOrSingleSlash(() -> get(this::listArrays))),
                pathPrefix("arrays", () -> pathPrefix(PathMatchers.segment(), id -> path("import", () -> post(() ->
                        parameterOptional("format", format -> parameterOptional("metadata", metadata ->
                                importReads(id, format.orElse("csv"), metadata.orElse(null))))))))));
    }

    /**
     * Every array: registered ones (simulated, physical) with their summary as GET /api/arrays/{id}
     * gives it, and imported ones (measured reads only) with what the archive holds of them.
     */
    private Route listArrays() {
        CompletionStage<List<String>> registered = AskPattern.<org.rramlab.node.EntityRegistry.Command,
                        org.rramlab.node.EntityRegistry.Ids>ask(org.rramlab.array.ArrayRegistry.of(system),
                        org.rramlab.node.EntityRegistry.ListIds::new, timeout, system.scheduler())
                .thenApply(org.rramlab.node.EntityRegistry.Ids::ids);
        CompletionStage<List<ArraySummary>> summaries = Replies.each(registered, a ->
                AskPattern.<ShardingEnvelope<ArrayActor.Command>, ArraySummary>askWithStatus(pipeline.arrays(),
                        r -> new ShardingEnvelope<>(a, new ArrayActor.GetState(r)), timeout, system.scheduler()));
        return Replies.reply(summaries.thenApply(list -> {
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (ArraySummary s : list) {
                seen.add(s.arrayId());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("array_id", s.arrayId());
                m.put("kind", s.kind());
                m.put("summary", s);
                out.add(m);
            }
            for (String a : archive.index().arrays()) {
                if (seen.add(a)) {
                    var totals = archive.index().totals(a);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("array_id", a);
                    m.put("kind", "imported");
                    m.put("archived", Map.of("frames", totals.frames(), "cell_reads", totals.cellReads()));
                    out.add(m);
                }
            }
            out.sort(java.util.Comparator.comparing(m -> (String) m.get("array_id")));
            return out;
        }), StatusCodes.OK, timeout);
    }

    private Route deployment(String id) {
        return path("export", () -> get(() -> parameterOptional("format", format -> parameterOptional("table",
                table -> exportDeployment(id, format.orElse("hdf5"), table.orElse("checks"))))));
    }

    private Route campaign(String id) {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> Replies.reply(status(id).thenCompose(this::withDataAndProvenance),
                        StatusCodes.OK, timeout))),
                path("archive", () -> get(() -> known(id, s ->
                        complete(StatusCodes.OK, CampaignData.archived(s, archive.index()), Json.marshaller())))),
                path("export", () -> get(() -> parameterOptional("format", format ->
                        known(id, s -> export(s, format.orElse("hdf5")))))));
    }

    /** The campaign's status to {@code inner}; an unknown id is a 404 (a refusal by its kind), not a fault. */
    private Route known(String id, java.util.function.Function<CampaignStatus, Route> inner) {
        return onSuccess(status(id).handle((s, e) -> e == null ? inner.apply(s) : Replies.failure(e, timeout)), r -> r);
    }

    /**
     * A campaign's status with where its data is and how much is archived ({@code archive}), and
     * {@code provenance_changed}: what differs now from its recorded {@code provenance_at_start}
     * (software, or an array's driver, preset or address), absent when nothing does.
     */
    private CompletionStage<JsonNode> withDataAndProvenance(CampaignStatus s) {
        ObjectNode node = Json.mapper().valueToTree(s);
        node.set("archive", Json.mapper().valueToTree(CampaignData.archived(s, archive.index())));
        List<CompletableFuture<ArraySummary>> arrays = s.arrays().stream().map(a ->
                AskPattern.<ShardingEnvelope<ArrayActor.Command>, ArraySummary>askWithStatus(pipeline.arrays(),
                                r -> new ShardingEnvelope<>(a, new ArrayActor.GetState(r)), timeout, system.scheduler())
                        .exceptionally(e -> null).toCompletableFuture()).toList();
        return CompletableFuture.allOf(arrays.toArray(CompletableFuture[]::new)).thenApply(v -> {
            // an array that does not answer now has not changed what the campaign ran with
            var now = ArraySummary.provenance(arrays.stream().map(CompletableFuture::join)
                    .filter(java.util.Objects::nonNull).toList());
            var recorded = s.provenanceAtStart() != null ? s.provenanceAtStart()
                    : new org.rramlab.node.Provenance(null, null, null, null, Map.of());
            Map<String, Object> changed = recorded.changedIn(now);
            if (!changed.isEmpty()) {
                node.set("provenance_changed", Json.mapper().valueToTree(changed));
            }
            return node;
        });
    }

    private Map<String, Object> overview() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", archive.status());
        var arrays = new LinkedHashMap<String, Object>();
        for (String a : archive.index().arrays()) {
            arrays.put(a, archive.index().totals(a));
        }
        m.put("arrays", arrays);
        return m;
    }

    private CompletionStage<CampaignStatus> status(String id) {
        return AskPattern.askWithStatus(pipeline.campaigns().region(),
                r -> new ShardingEnvelope<>(id, new CampaignActor.GetStatus(r)), timeout, system.scheduler());
    }

    private Route export(CampaignStatus status, String format) {
        List<Selection> selections = CampaignData.selections(status);
        ArchiveExport export = new ArchiveExport(archive.index());
        String name = status.id() + "." + (format.equals("csv") ? "csv" : "h5");
        var disposition = ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, Map.of("filename", name));
        return switch (format) {
            case "csv" -> {
                Source<ByteString, NotUsed> body = StreamConverters.asOutputStream(Duration.ofMinutes(5))
                        .mapMaterializedValue(out -> {
                            io.execute(() -> {
                                try (out) {
                                    export.csv(selections, out, csvComments(status));
                                } catch (IOException | RuntimeException e) {
                                    log.warn("CSV export of campaign {} stopped: {}", status.id(), e.getMessage());
                                }
                            });
                            return NotUsed.getInstance();
                        });
                yield complete(HttpResponse.create().withEntity(HttpEntities.create(CSV, body)).addHeader(disposition));
            }
            case "hdf5" -> onSuccess(CompletableFuture.supplyAsync(() -> hdf5(status, selections, export), io)
                    .handle((written, error) -> error != null ? Replies.failure(error, timeout) : sent(written, disposition)),
                    route -> route);
            default -> ApiErrors.error(StatusCodes.BAD_REQUEST, "format \"" + format + "\" is not known; use hdf5 or csv");
        };
    }

    /** Per array, who it was when the campaign started: driver, preset and hash, address, the instruments' *IDN?. */
    private static Map<String, Map<String, ?>> arrayAttributes(CampaignStatus status) {
        Map<String, Map<String, ?>> out = new LinkedHashMap<>();
        if (status.provenanceAtStart() == null || status.provenanceAtStart().arrays() == null) {
            return out; // started before provenance was recorded
        }
        status.provenanceAtStart().arrays().forEach((array, a) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("driver", a.driver());
            m.put("preset", a.preset());
            m.put("preset_sha256", a.presetSha256());
            m.put("instrument_address", a.instrumentAddress());
            m.put("instrument_idn", a.instrumentIdentity());
            out.put(array, m);
        });
        return out;
    }

    /**
     * The run metadata as HDF5 attributes: {@code metadata} (the object as JSON) and one
     * {@code metadata.<key>} per key (numbers as numbers, booleans as "true"/"false").
     */
    static Map<String, Object> metadataAttributes(Map<String, Object> metadata) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (metadata == null || metadata.isEmpty()) {
            return out;
        }
        try {
            out.put("metadata", Json.mapper().writeValueAsString(metadata));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("metadata not writable as JSON: " + e.getMessage(), e);
        }
        metadata.forEach((k, v) -> out.put("metadata." + k, v));
        return out;
    }

    /** The lines before a CSV export's header: which campaign, and its metadata as one JSON object. */
    private static List<String> csvComments(CampaignStatus status) {
        if (status.metadata() == null || status.metadata().isEmpty()) {
            return List.of(); // as before metadata existed: the header is the first line
        }
        return List.of("campaign_id: " + status.id(), "metadata: " + metadataAttributes(status.metadata()).get("metadata"));
    }

    /** An export file and its size, both found on the blocking dispatcher. */
    private record Written(Path file, long bytes) {}

    /** The file as the response, deleted (on the blocking dispatcher) once sent or abandoned. */
    private Route sent(Written written, ContentDisposition disposition) {
        Path file = written.file();
        Source<ByteString, NotUsed> body = FileIO.fromPath(file).watchTermination((m, done) -> {
            done.whenCompleteAsync((d, e) -> deleteQuietly(file), io);
            return NotUsed.getInstance();
        });
        return complete(HttpResponse.create().withEntity(HttpEntities.create(HDF5, written.bytes(), body))
                .addHeader(disposition));
    }

    /** The file written; a BAD_INPUT refusal when the selection is more than an export may hold. */
    private Written hdf5(CampaignStatus status, List<Selection> selections, ArchiveExport export) {
        try {
            Files.createDirectories(scratch);
            Path file = Files.createTempFile(scratch, "export-" + status.id() + "-", ".h5");
            Files.delete(file);
            Map<String, Object> root = new LinkedHashMap<>(Provenance.software());
            root.put("campaign_id", status.id());
            root.put("campaign_state", status.state().json());
            root.put("campaign_spec", Json.mapper().writeValueAsString(status.spec()));
            if (status.startedAt() != null) {
                root.put("started_at", status.startedAt().toString());
            }
            root.putAll(metadataAttributes(status.metadata()));
            export.hdf5(selections, file, root, arrayAttributes(status), archive.config().maxHdf5ExportBytes());
            return new Written(file, Files.size(file));
        } catch (ExportTooLargeException e) {
            throw new Refusal(Refusal.Kind.BAD_INPUT, e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("the HDF5 export failed: " + e.getMessage(), e);
        }
    }

    private Route importReads(String arrayId, String format, String metadataJson) {
        if (!format.equals("csv")) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "format \"" + format + "\" is not known; use csv");
        }
        Map<String, Object> metadata;
        try {
            metadata = metadataJson == null ? null
                    : RunMetadata.normalized(Json.mapper().readValue(metadataJson, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}));
        } catch (JsonProcessingException e) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "metadata: give a JSON object of strings, numbers or booleans,"
                    + " URL-encoded, e.g. metadata={\"sample\":\"W12\"} (" + e.getOriginalMessage() + ")");
        }
        List<String> problems = RunMetadata.problems(metadata);
        if (!problems.isEmpty()) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "nothing imported: " + String.join("; ", problems));
        }
        return withSizeLimit(importMaxBytes, () -> extractDataBytes(bytes -> {
            CompletionStage<ImportOutcome> done = receive(bytes).thenCompose(file -> registered(arrayId).thenCompose(live -> {
                if (live) {
                    return CompletableFuture.runAsync(() -> deleteQuietly(file), io).thenCompose(v ->
                            CompletableFuture.<ImportOutcome>failedFuture(new Refusal(Refusal.Kind.CONFLICT, "array " + arrayId
                                    + " is a registered array of this lab: import measured reads under a new id")));
                }
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        return parseAndReserve(file, arrayId);
                    } finally {
                        deleteQuietly(file);
                    }
                }, io).thenCompose(reserved -> reserved instanceof Parsed p ? publish(arrayId, p, metadata)
                        : CompletableFuture.<ImportOutcome>completedFuture(((AlreadyImported) reserved).with(metadata)));
            }));
            return onSuccess(done.handle((outcome, error) -> error != null ? Replies.failure(uploadFailed(error), timeout)
                    : complete(outcome instanceof AlreadyImported ? StatusCodes.OK : StatusCodes.CREATED, outcome,
                            Json.<ImportOutcome>marshaller())), route -> route);
        }));
    }

    /** What an import answers: 201 with what it published, or 200 for a file imported before. */
    public sealed interface ImportOutcome permits Imported, AlreadyImported {}

    public record Imported(String arrayId, long frames, long cellReads, long programmings,
                           Map<String, Object> metadata) implements ImportOutcome {}

    /** The same file again: what it brought the first time, nothing published. */
    public record AlreadyImported(String arrayId, long frames, long cellReads, long programmings,
                                  boolean alreadyImported, Map<String, Object> metadata) implements ImportOutcome, Reserved {
        /** The recorded metadata stays; a file recorded without any (an older ledger) answers with this request's. */
        AlreadyImported with(Map<String, Object> asked) {
            return !metadata.isEmpty() || asked == null ? this
                    : new AlreadyImported(arrayId, frames, cellReads, programmings, true, asked);
        }
    }

    /** What parse and reserve found: a file to publish, or one imported before. */
    private sealed interface Reserved permits Parsed, AlreadyImported {}

    /** A valid file whose sequences are reserved in the ledger. */
    private record Parsed(List<ConductanceRecord> records, String sha256) implements Reserved {}

    /**
     * A refusal as it is; an upload over the limit is TOO_LARGE (413); one cut off by the client or
     * the disk BAD_INPUT or UNAVAILABLE with the reason.
     */
    private Refusal uploadFailed(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof org.apache.pekko.stream.IOOperationIncompleteException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof Refusal r) {
            return r;
        }
        if (t instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
            return new Refusal(Refusal.Kind.TOO_LARGE, "nothing imported: the file is larger than "
                    + importMaxBytes + " bytes (rramlab.archive.import-max-bytes); split it by sequence and import the parts");
        }
        if (t instanceof NoSpace) {
            return new Refusal(Refusal.Kind.UNAVAILABLE, "nothing imported: " + t.getMessage());
        }
        return new Refusal(Refusal.Kind.BAD_INPUT, "nothing imported: the upload did not arrive whole ("
                + t.getMessage() + "); send it again");
    }

    /** The upload could not be kept on disk. */
    private static final class NoSpace extends RuntimeException {
        NoSpace(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Route exportDeployment(String id, String format, String table) {
        CompletionStage<OsaSupervisor.History> history = AskPattern.askWithStatus(pipeline.deployments().region(),
                r -> new ShardingEnvelope<>(id, new OsaSupervisor.GetHistory(r)), timeout, system.scheduler());
        // an unknown deployment is a 404, as at GET /api/deployments/{id}
        return onSuccess(history.handle((h, e) -> Optional.ofNullable(e)), error -> error.isPresent()
                ? Replies.failure(error.get(), timeout)
                : exportHistory(id, format, table, history));
    }

    private Route exportHistory(String id, String format, String table, CompletionStage<OsaSupervisor.History> history) {
        if (format.equals("csv")) {
            if (!table.equals("checks") && !table.equals("rounds")) {
                return ApiErrors.error(StatusCodes.BAD_REQUEST, "table \"" + table + "\" is not known; use checks or rounds");
            }
            return onSuccess(history.thenCombine(deploymentMetadata(id), (h, metadata) -> comments(id, metadata)
                    + (table.equals("checks") ? DeploymentExport.checksCsv(h.checks()) : DeploymentExport.roundsCsv(h.rounds()))),
                    csv -> complete(HttpResponse.create().withEntity(HttpEntities.create(CSV, csv))
                    .addHeader(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT,
                            Map.of("filename", id + "-" + table + ".csv")))));
        }
        if (!format.equals("hdf5")) {
            return ApiErrors.error(StatusCodes.BAD_REQUEST, "format \"" + format + "\" is not known; use hdf5 or csv");
        }
        return onSuccess(history.thenCombine(deploymentMetadata(id), Map::entry).thenApplyAsync(hm -> {
            OsaSupervisor.History h = hm.getKey();
            try {
                Files.createDirectories(scratch);
                Path file = Files.createTempFile(scratch, "deployment-" + id + "-", ".h5");
                Files.delete(file);
                Map<String, Object> attributes = new LinkedHashMap<>(Provenance.software());
                attributes.put("deployment_id", id);
                attributes.putAll(metadataAttributes(hm.getValue()));
                DeploymentExport.hdf5(h, file, attributes);
                byte[] bytes = Files.readAllBytes(file);
                Files.delete(file);
                return bytes;
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, io), bytes -> complete(HttpResponse.create().withEntity(HttpEntities.create(HDF5, bytes))
                .addHeader(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, Map.of("filename", id + ".h5")))));
    }

    private CompletionStage<Map<String, Object>> deploymentMetadata(String id) {
        return AskPattern.<ShardingEnvelope<OsaSupervisor.Command>, org.rramlab.deploy.DeploymentStatus>askWithStatus(
                        pipeline.deployments().region(), r -> new ShardingEnvelope<>(id, new OsaSupervisor.GetStatus(r)),
                        timeout, system.scheduler())
                .thenApply(d -> d.metadata() == null ? Map.<String, Object>of() : d.metadata());
    }

    /** "# " lines before a deployment's CSV table: its id and metadata (none without metadata, as before). */
    private static String comments(String id, Map<String, Object> metadata) {
        if (metadata.isEmpty()) {
            return "";
        }
        return "# deployment_id: " + id + "\n# metadata: " + metadataAttributes(metadata).get("metadata") + "\n";
    }


    /** The upload in a temporary file; the file is removed when the upload fails part-way. */
    private CompletionStage<Path> receive(Source<ByteString, ?> bytes) {
        // the scratch file is made on the blocking dispatcher, not on the one that serves requests
        return CompletableFuture.supplyAsync(() -> {
            try {
                Files.createDirectories(scratch);
                return Files.createTempFile(scratch, "import-", ".csv");
            } catch (IOException e) {
                throw new NoSpace("cannot keep the upload in the data directory's tmp/ ("
                        + e.getClass().getSimpleName() + "); free space there and send it again", e);
            }
        }, io).thenCompose(file -> written(bytes, file));
    }

    private CompletionStage<Path> written(Source<ByteString, ?> bytes, Path file) {
        return bytes.runWith(FileIO.toPath(file), system).handle((r, e) -> {
            if (e != null) {
                deleteQuietly(file);
                throw e instanceof java.util.concurrent.CompletionException c ? c : new java.util.concurrent.CompletionException(e);
            }
            return file;
        });
    }

    /** True when the id is an array registered here (its sequences are its own; an import would collide). */
    private CompletionStage<Boolean> registered(String arrayId) {
        return AskPattern.<ShardingEnvelope<ArrayActor.Command>, org.rramlab.array.ArraySummary>askWithStatus(
                        pipeline.arrays(), r -> new ShardingEnvelope<>(arrayId, new ArrayActor.GetState(r)), timeout,
                        system.scheduler())
                .handle((s, e) -> e == null);
    }

    /** The file's records with their sequences reserved, or one imported before; a refusal says why not. */
    private Reserved parseAndReserve(Path file, String arrayId) {
        List<ConductanceRecord> records = parse(file, arrayId);
        if (records.isEmpty()) {
            throw new Refusal(Refusal.Kind.BAD_INPUT, "nothing imported: the file holds no reads");
        }
        String sha256;
        try (var in = Files.newInputStream(file)) {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            sha256 = java.util.HexFormat.of().formatHex(digest.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new Refusal(Refusal.Kind.UNAVAILABLE, "nothing imported: the upload could not be"
                    + " read back (" + e.getMessage() + "); send it again");
        }
        long first = records.stream().mapToLong(ConductanceRecord::sequence).min().orElseThrow();
        long last = records.stream().mapToLong(ConductanceRecord::sequence).max().orElseThrow();
        long archived = Math.max(archive.index().lastSequence(arrayId, org.rramlab.archive.SegmentKind.READS),
                archive.index().lastSequence(arrayId, org.rramlab.archive.SegmentKind.PROGRAMMED));
        ImportLedger.Decision decision = ledger.reserve(arrayId, sha256, first, last, archived);
        if (decision instanceof ImportLedger.AlreadyImported a) {
            return alreadyImported(arrayId, a.entry());
        }
        if (decision instanceof ImportLedger.Conflict c) {
            throw new Refusal(Refusal.Kind.CONFLICT, "nothing imported: " + c.reason());
        }
        return new Parsed(records, sha256);
    }

    /** The same file again: what it brought the first time, with the metadata its first import recorded. */
    private static AlreadyImported alreadyImported(String arrayId, ImportLedger.Entry e) {
        return new AlreadyImported(arrayId, e.frames(), e.cellReads(), e.programmings(), true,
                e.metadata() == null ? Map.of() : e.metadata());
    }

    /** The file's records, or a BAD_INPUT refusal saying what is wrong with it. Reads the file: not on an actor's thread. */
    private List<ConductanceRecord> parse(Path file, String arrayId) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new CsvImport(archive.config().importLimits(levels)).parse(r, arrayId);
        } catch (ImportException e) {
            throw new Refusal(Refusal.Kind.BAD_INPUT, "nothing imported: " + e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new Refusal(Refusal.Kind.BAD_INPUT, "nothing imported: the file is not readable UTF-8 text ("
                    + e.getMessage() + ")");
        }
    }

    /** Publishes in order; a failure part-way says how far it got (a second import skips what is there by sequence). */
    private CompletionStage<ImportOutcome> publish(String arrayId, Parsed parsed, Map<String, Object> metadata) {
        long[] counts = new long[3];
        return Source.from(parsed.records())
                .mapAsync(8, r -> AskPattern.<MeasurementActor.Command, org.apache.pekko.Done>askWithStatus(
                        pipeline.measurement(), to -> new MeasurementActor.Publish(r, to), timeout, system.scheduler())
                        .thenApply(d -> r))
                .runWith(Sink.foreach(r -> {
                    if (r instanceof org.rramlab.streaming.ReadRecord) {
                        counts[0]++;
                        counts[1] += r.block().cells();
                    } else {
                        counts[2]++;
                    }
                }), system)
                .handle((done, e) -> {
                    if (e != null) {
                        ledger.release(arrayId, parsed.sha256());
                        throw new Refusal(Refusal.Kind.UNAVAILABLE, "the file was valid, but publishing"
                                + " stopped after " + counts[0] + " of its frames (" + e.getMessage() + "); import it again:"
                                + " frames already published are recognised by their sequence and skipped");
                    }
                    ImportOutcome imported = new Imported(arrayId, counts[0], counts[1], counts[2],
                            metadata == null ? Map.of() : metadata);
                    try {
                        ledger.done(arrayId, parsed.sha256(), counts[0], counts[1], counts[2], metadata);
                    } catch (IOException io) {
                        log.warn("import of {} published, but not recorded in the import ledger: {}", arrayId, io.getMessage());
                    }
                    return imported;
                });
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("temporary file {} not deleted: {}", file, e.getMessage());
        }
    }

}
