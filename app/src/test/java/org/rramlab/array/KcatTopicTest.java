package org.rramlab.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.Block;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.LogCodes;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/**
 * What the node publishes, as a Kafka client of another make sees it: kcat (librdkafka, Debian
 * package {@code kcat}) consumes topic {@code rram.conductance} from the node's broker over
 * loopback and finds the records of docs/record-format.md: key = array id, no headers, one
 * partition per array, one record per programming and per read, values that decode to exactly
 * what the array answered (within the log16 bound, decoded by the documented formula).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KcatTopicTest {
    static final String ARRAY = "kcat-a";

    @TempDir
    Path dataDir;

    /** kcat on the PATH; absent: a failure that says how to install it (never a skip). */
    static String kcat() {
        for (String candidate : List.of("/usr/bin/kcat", "kcat")) {
            try {
                Process p = new ProcessBuilder(candidate, "-V").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException | InterruptedException notThere) {
                // try the next one
            }
        }
        String install = "kcat is not installed: apt-get install kcat (deploy/run-tests.sh installs it when run as root)";
        fail(install);
        return null;
    }

    /** One record as kcat printed it: the line {@code key size partition headers}, then the value's bytes. */
    record Seen(String key, int size, int partition, String headers, byte[] value) {}

    @Test
    void kcatReadsOneRecordPerProgrammingAndReadKeyedByArrayWithNoHeaders() throws Exception {
        String kcat = kcat();
        try (LabFixture lab = LabFixture.start(dataDir, null, Map.of(), Duration.ofSeconds(30))) {
            lab.<ArraySummary>ask(ARRAY, r -> new ArrayActor.Register(ArraySpec.simulated(null, 4, 6, 21), r));
            Block all = new Block(0, 0, 4, 6);
            int[] levels = new int[all.cells()];
            for (int i = 0; i < levels.length; i++) {
                levels[i] = i % 4;
            }
            lab.<ArrayActor.ProgramDone>ask(ARRAY, r -> new ArrayActor.Program(all, levels, null, false, "p", r));
            List<ArrayActor.ReadDone> reads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String tag = "r" + i;
                reads.add(lab.ask(ARRAY, r -> new ArrayActor.Read(all, tag, r)));
            }

            Process p = new ProcessBuilder(kcat, "-C", "-b", lab.bootstrap, "-t", ConductanceRecord.TOPIC, "-o", "beginning",
                    "-e", "-q", "-f", "%k %S %p %h\\n%s\\n").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kcat reached the end of the topic");
            assertEquals(0, p.exitValue(), "kcat's exit code");

            List<Seen> seen = parse(out);
            List<Seen> ours = seen.stream().filter(s -> s.key().equals(ARRAY)).toList();
            assertEquals(4, ours.size(), "one programming and three reads: " + seen);
            Set<Integer> partitions = new HashSet<>();
            for (Seen s : ours) {
                partitions.add(s.partition());
                assertEquals("", s.headers(), "records carry no headers");
                assertEquals(s.size(), s.value().length);
                assertEquals('R', s.value()[0]);
                assertEquals('R', s.value()[1]);
            }
            assertEquals(1, partitions.size(), "one array's records are in one partition: " + partitions);
            int id = ARRAY.getBytes(StandardCharsets.UTF_8).length;
            ProgrammedRecord programmed = (ProgrammedRecord) ConductanceCodec.decode(ours.get(0).value());
            assertEquals(43 + id + all.cells(), ours.get(0).size(), "header, id, one byte per cell, CRC");
            assertEquals(1, programmed.sequence());
            for (int i = 0; i < levels.length; i++) {
                assertEquals(levels[i], programmed.levels()[i]);
            }
            for (int i = 0; i < 3; i++) {
                Seen s = ours.get(i + 1);
                // the node's default encoding, log16: version 2, an encoding byte and the grid, u16 per cell
                assertEquals(43 + id + 1 + 16 + 2 * all.cells(), s.size(), "header, id, grid, u16 per cell, CRC");
                assertEquals(2, s.value()[2], "version 2");
                ReadRecord r = (ReadRecord) ConductanceCodec.decode(s.value());
                assertEquals(reads.get(i).sequence(), r.sequence());
                // decoded by docs/record-format.md's formula from kcat's bytes alone, and by our codec
                ByteBuffer v = ByteBuffer.wrap(s.value()).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(2, v.get(39 + id), "encoding log16");
                double g0 = v.getDouble(40 + id);
                double step = v.getDouble(48 + id);
                float[] truth = reads.get(i).frame().conductances();
                for (int c = 0; c < truth.length; c++) {
                    double byFormula = Math.exp(g0 + step * (v.getShort(56 + id + 2 * c) & 0xffff));
                    assertEquals(Math.log(truth[c]), Math.log(byFormula), LogCodes.MAX_ERROR_NEPERS + 1e-7, "cell " + c);
                    assertEquals(Math.log(truth[c]), Math.log(r.frame().conductances()[c]), LogCodes.MAX_ERROR_NEPERS + 1e-6);
                }
            }
        }
    }

    private static List<Seen> parse(byte[] out) throws IOException {
        List<Seen> seen = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(out);
        while (in.available() > 0) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("kcat's output ends inside a record line: " + line);
                }
                line.write(b);
            }
            String[] f = line.toString(StandardCharsets.UTF_8).split(" ", 4);
            if (f.length < 3) {
                throw new IOException("not a record line: '" + line + "'");
            }
            int size = Integer.parseInt(f[1]);
            byte[] value = in.readNBytes(size);
            if (value.length != size || in.read() != '\n') {
                throw new IOException("record of " + f[0] + " is not " + size + " bytes followed by a newline");
            }
            seen.add(new Seen(f[0], size, Integer.parseInt(f[2]), f.length > 3 ? f[3] : "", value));
        }
        return seen;
    }
}
