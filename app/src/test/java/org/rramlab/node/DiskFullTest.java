package org.rramlab.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LiveNodeFixture;

/**
 * The data directory's file system fills up under a running node: a real node on a small tmpfs,
 * a filler file taking most of it, then a campaign's reads (Kafka's log, the journal, the archive:
 * the normal write paths) take it below rramlab.disk.min-free. The node raises the alarm (/ready,
 * /metrics), refuses new work with 507 and a reason (never a 5xx fault), the campaign suspends,
 * every frame it took is archived while the disk is low, and once the filler is deleted the node
 * takes work again and the campaign completes with every read archived exactly once. The alarm is
 * also an ERROR line in the log.
 * Needs root for mount; without it the test fails, it never skips.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DiskFullTest {
    static final String OPERATOR = "op-disk-token-0123456789";
    static final String VIEWER = "vw-disk-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final long MIB = 1L << 20;
    static final int TMPFS_MIB = 192;
    static final long MIN_FREE = 40 * MIB;
    static final long RESUME_FREE = 56 * MIB;
    static final int ARRAYS = 2;
    static final int READS = 150;

    static final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> LOGGED =
            new ch.qos.logback.core.read.ListAppender<>();

    @TempDir
    Path dir;
    String base;

    @Test
    void aFullDataDirectoryRaisesTheAlarmRefusesNewWorkLosesNothingAndRecovers() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        mount(data, TMPFS_MIB);
        LabNode node = null;
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        LOGGED.start();
        root.addAppender(LOGGED);
        try {
            Map<String, String> o = LiveNodeFixture.settings(OPERATOR, VIEWER, data);
            o.put("rramlab.archive.flush-interval", "300ms");
            o.put("rramlab.disk.min-free", Long.toString(MIN_FREE));
            o.put("rramlab.disk.resume-free", Long.toString(RESUME_FREE));
            o.put("rramlab.disk.check-interval", "250ms");
            o.put("rramlab.campaign.probe-interval", "1s");
            node = LabNode.start(LabConfig.load(o, Map.of()));
            base = "http://127.0.0.1:" + node.httpPort();
            await("the node is ready", "/ready", r -> r.path("ready").asBoolean(), Duration.ofSeconds(120));
            for (int i = 1; i <= ARRAYS; i++) {
                var r = call("POST", "/api/arrays", "{\"id\":\"disk-" + i + "\",\"kind\":\"simulated\",\"rows\":128,"
                        + "\"cols\":128,\"seed\":" + i + "}");
                assertEquals(201, r.statusCode(), r.body());
            }

            // a filler leaves a little more than min-free: the campaign's own writes cross it
            long free = Files.getFileStore(data).getUsableSpace();
            Path filler = data.resolve("filler.bin");
            long fill = free - MIN_FREE - 12 * MIB;
            assertTrue(fill > 0, "the tmpfs has " + free / MIB + " MiB free after the start: make it larger");
            write(filler, fill);
            System.out.printf("tmpfs %d MiB: %d MiB free after the start, filler %d MiB, min-free %d MiB%n", TMPFS_MIB,
                    free / MIB, fill / MIB, MIN_FREE / MIB);

            var started = call("POST", "/api/campaigns", "{\"id\":\"fill\",\"arrays\":[\"disk-1\",\"disk-2\"],"
                    + "\"program\":{\"pattern\":\"every-level\"},\"interval_seconds\":60,\"reads\":" + READS
                    + ",\"acceleration\":6000}");
            assertEquals(201, started.statusCode(), started.body());

            // the free space crosses min-free; the node says so
            long crossed = 0;
            long alarmed = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (alarmed == 0 && System.nanoTime() < until) {
                long now = System.nanoTime();
                if (crossed == 0 && Files.getFileStore(data).getUsableSpace() < MIN_FREE) {
                    crossed = now;
                }
                JsonNode ready = JSON.readTree(call("GET", "/ready", null).body());
                if ("down".equals(ready.at("/parts/disk/state").asText())) {
                    alarmed = System.nanoTime();
                    assertFalse(ready.path("ready").asBoolean());
                    assertTrue(ready.at("/parts/disk/detail").asText().contains("disk full"), ready.toString());
                }
                JsonNode campaign = JSON.readTree(call("GET", "/api/campaigns/fill", null).body());
                assertFalse("completed".equals(campaign.path("state").asText()), "the campaign completed and no alarm"
                        + " came; free space " + (crossed > 0 ? "did" : "did not") + " fall below min-free (now "
                        + Files.getFileStore(data).getUsableSpace() / MIB + " MiB): " + campaign);
                Thread.sleep(50);
            }
            assertTrue(alarmed > 0, "no alarm within 180 s; free " + Files.getFileStore(data).getUsableSpace() / MIB + " MiB");
            double toAlarm = crossed == 0 ? Double.NaN : (alarmed - crossed) / 1e9;
            System.out.printf("free space below min-free -> /ready says disk down: %.2f s%n", toAlarm);
            boolean logged;
            synchronized (LOGGED) { // AppenderBase appends under this lock
                logged = LOGGED.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR
                        && e.getFormattedMessage().startsWith("disk full:"));
            }
            assertTrue(logged, "an ERROR line says the disk is full");
            String metrics = call("GET", "/metrics", null).body();
            assertTrue(metrics.contains("rramlab_disk_low 1.0"), "the metric shows the alarm");

            // new work is refused with a reason, never a fault; reading goes on
            for (String[] work : new String[][] {
                    {"/api/arrays", "{\"id\":\"disk-3\",\"kind\":\"simulated\",\"rows\":8,\"cols\":8,\"seed\":3}", "application/json"},
                    {"/api/campaigns", "{\"id\":\"more\",\"arrays\":[\"disk-1\"],\"interval_seconds\":60,\"reads\":3}", "application/json"},
                    {"/api/arrays/chip-d/import?format=csv", csv("chip-d"), "text/csv"}}) {
                var r = call("POST", work[0], work[1], work[2]);
                assertEquals(507, r.statusCode(), work[0] + ": " + r.body());
                assertTrue(JSON.readTree(r.body()).path("error").asText().contains("disk full"), r.body());
            }
            assertEquals(200, call("GET", "/api/campaigns/fill", null).statusCode());

            // the campaign stops taking reads; every frame it took reaches the archive while the disk is low
            JsonNode held = await("the campaign suspends", "/api/campaigns/fill",
                    s -> "suspended".equals(s.path("state").asText()), Duration.ofSeconds(60));
            System.out.println("suspended: " + held.path("last_error").asText());
            assertTrue(held.path("last_error").asText().contains("disk full"), held.toString());
            JsonNode archived = await("every frame taken is archived", "/api/campaigns/fill/archive",
                    a -> a.path("frames_archived").asLong() >= a.path("frames_taken").asLong()
                            && a.path("frames_taken").asLong() > 0, Duration.ofSeconds(60));
            long taken = archived.path("frames_taken").asLong();
            System.out.printf("while the disk is low: %d frames taken, %d archived, %d MiB free%n", taken,
                    archived.path("frames_archived").asLong(), Files.getFileStore(data).getUsableSpace() / MIB);
            assertTrue(taken < (long) ARRAYS * READS, "the campaign was stopped part-way: " + archived);
            assertTrue(Files.getFileStore(data).getUsableSpace() > 0, "the reserve held");

            // space returns: the node takes work again and the campaign resumes by itself
            long freed = System.nanoTime();
            Files.delete(filler);
            await("the alarm clears", "/ready", r -> "up".equals(r.at("/parts/disk/state").asText()), Duration.ofSeconds(30));
            double toRecover = (System.nanoTime() - freed) / 1e9;
            var again = call("POST", "/api/arrays/chip-d/import?format=csv", csv("chip-d"), "text/csv");
            assertEquals(201, again.statusCode(), again.body());
            double toWork = (System.nanoTime() - freed) / 1e9;
            JsonNode done = await("the campaign completes", "/api/campaigns/fill",
                    s -> "completed".equals(s.path("state").asText()), Duration.ofSeconds(180));
            double toComplete = (System.nanoTime() - freed) / 1e9;
            JsonNode all = await("every read is archived", "/api/campaigns/fill/archive",
                    a -> a.path("frames_archived").asLong() >= (long) ARRAYS * READS, Duration.ofSeconds(60));
            assertEquals((long) ARRAYS * READS, all.path("frames_archived").asLong(), "every read once: " + all);
            assertEquals((long) ARRAYS * READS, all.path("frames_taken").asLong(), done.toString());
            assertTrue(call("GET", "/metrics", null).body().contains("rramlab_disk_low 0.0"));
            System.out.printf("filler deleted -> /ready disk up: %.2f s, -> an import accepted: %.2f s,"
                    + " -> campaign completed: %.1f s (%d interruptions)%n", toRecover, toWork, toComplete,
                    done.path("interruptions").size());
            System.out.printf("DISK-FULL FIGURES: to alarm %.2f s, to recover %.2f s, load %s%n", toAlarm, toRecover,
                    Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            root.detachAppender(LOGGED);
            if (node != null) {
                node.close();
            }
            new ProcessBuilder("umount", "-l", data.toString()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Mounts a tmpfs of {@code mib} MiB; a failure fails the test with what to do. */
    static void mount(Path at, int mib) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", at.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("cannot mount a " + mib + " MiB tmpfs at " + at + " (" + out + "): this test fills a real file system"
                    + " and needs root (or CAP_SYS_ADMIN); run it as root, as ./rramlab test does in CI");
        }
    }

    static void write(Path file, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, (byte) 0x5a);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    static String csv(String array) {
        StringBuilder s = new StringBuilder("array_id,sequence,array_time_s,row,col,conductance_s,target_level,suspect\n");
        for (int q = 1; q <= 3; q++) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 2; c++) {
                    s.append(array).append(',').append(q).append(',').append(q * 60.0).append(',').append(r).append(',')
                            .append(c).append(',').append((1 + r * 2 + c) * 1e-5).append(",,0\n");
                }
            }
        }
        return s.toString();
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, "application/json");
    }

    HttpResponse<String> call(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + ("GET".equals(method) ? VIEWER : OPERATOR));
        if (body != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode await(String what, String path, Predicate<JsonNode> done, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = call("GET", path, null);
            assertTrue(r.statusCode() < 500 || r.statusCode() == 503, path + " answered " + r.statusCode() + ": " + r.body());
            last = r.body();
            if (r.statusCode() < 300 || path.equals("/ready")) {
                JsonNode j = JSON.readTree(r.body());
                if (done.test(j)) {
                    return j;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": not within " + within.toSeconds() + " s; last " + last);
    }
}
