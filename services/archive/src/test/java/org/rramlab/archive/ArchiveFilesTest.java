package org.rramlab.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;

/** Segments written, indexed, read back and exported; h5py and pandas open what rramlab wrote. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ArchiveFilesTest {
    @TempDir
    Path dir;

    private final Block block = new Block(2, 3, 4, 5);

    private ArchiveIndex archiveOfTwoArrays() throws Exception {
        ArchiveLayout layout = ArchiveLayout.under(dir.resolve("data"));
        SegmentWriter w = new SegmentWriter(layout);
        Map<String, Object> provenance = Map.of("preset", "dac2020-65nm", "instrument_idn", "SIM,rramlab,0,1");
        w.writeProgrammed(List.of(Records.programmed("sim-1", 1, 0.0, block)), provenance);
        w.writeReads(Records.frames("sim-1", 1, 10, block), provenance);
        w.writeReads(Records.frames("sim-1", 11, 25, block), provenance);
        w.writeReads(Records.frames("lab/chip 2", 1, 3, block), provenance);
        // an interrupted write leaves a temporary file behind: the index deletes it
        Files.writeString(layout.arrayDir("sim-1").resolve("reads-x.h5.tmp"), "half");
        return ArchiveIndex.open(layout);
    }

    @Test
    void theIndexIsRebuiltFromFileNamesAndTemporaryFilesAreDeleted() throws Exception {
        ArchiveIndex index = archiveOfTwoArrays();
        assertEquals(25, index.lastSequence("sim-1", SegmentKind.READS));
        assertEquals(1, index.lastSequence("sim-1", SegmentKind.PROGRAMMED));
        assertEquals(3, index.lastSequence("lab/chip 2", SegmentKind.READS));
        assertEquals(0, index.lastSequence("never", SegmentKind.READS));
        assertEquals(28, index.totals(null).frames());
        assertEquals(25L * block.cells(), index.totals("sim-1").cellReads());
        assertFalse(Files.exists(index.layout().arrayDir("sim-1").resolve("reads-x.h5.tmp")));
        List<Frame> back = SegmentReader.reads(index.segments("sim-1", SegmentKind.READS).get(1));
        assertEquals(11, back.get(0).sequence());
        assertEquals(Records.frame("sim-1", 11, block).conductances()[7], back.get(0).conductances()[7]);
        assertEquals(110.0, back.get(0).arrayTimeSeconds());
    }

    @Test
    void h5pyOpensTheSegmentsAndFindsEveryReadOnce() throws Exception {
        ArchiveIndex index = archiveOfTwoArrays();
        JsonNode out = Python.check(dir, "segments", index.layout().root());
        JsonNode sim = out.get("sim-1");
        assertEquals(25, sim.get("frames").asInt());
        assertEquals(0, sim.get("doubled").asInt());
        assertEquals(3, out.get("lab%2Fchip+2").get("frames").asInt());
    }

    @Test
    void anHdf5ExportOpensInH5pyWithEveryReadAndTheProvenance() throws Exception {
        ArchiveIndex index = archiveOfTwoArrays();
        Path file = dir.resolve("campaign.h5");
        long frames = new ArchiveExport(index).hdf5(List.of(Selection.all("sim-1"), Selection.all("lab/chip 2")), file,
                Map.of("campaign_id", "c-1", "rramlab_version", "0.1.0"), Map.of(), 1 << 30);
        assertEquals(28, frames);
        JsonNode out = Python.check(dir, "export", file);
        JsonNode sim = out.get("arrays").get("sim-1");
        assertEquals(25, sim.get("frames").asInt());
        assertEquals(25 * block.cells(), sim.get("cells").asInt());
        assertEquals(Records.sum(Records.frames("sim-1", 1, 25, block)), sim.get("sum").asDouble(), 1e-9);
        assertEquals(1, sim.get("programmed").asInt());
        assertEquals(3, out.get("arrays").get("lab/chip 2").get("frames").asInt());
        assertEquals("c-1", out.get("attributes").get("campaign_id").asText());
    }

    @Test
    void aCsvExportReadsInPandasWithOneRowPerCellRead() throws Exception {
        ArchiveIndex index = archiveOfTwoArrays();
        Path file = dir.resolve("campaign.csv");
        long lines;
        try (OutputStream out = Files.newOutputStream(file)) {
            lines = new ArchiveExport(index).csv(List.of(Selection.all("sim-1"), Selection.all("lab/chip 2")), out);
        }
        assertEquals(28L * block.cells(), lines);
        JsonNode out = Python.check(dir, "csv", file);
        assertEquals(28 * block.cells(), out.get("rows").asInt());
        assertEquals(CsvColumns.HEADER.toString(), out.get("columns").toString().replace("\"", "").replace(",", ", "));
        // sim-1 was programmed (all but cell 0 to a level); the other array never was
        assertEquals(25 * (block.cells() - 1), out.get("levels").asInt());
        double expected = Records.sum(Records.frames("sim-1", 1, 25, block)) + Records.sum(Records.frames("lab/chip 2", 1, 3, block));
        assertEquals(expected, out.get("sum").asDouble(), 1e-9);
        assertEquals(3 * block.cells(), out.get("suspect").asInt(), "frames 7, 14, 21 of sim-1 and none of 1..3");
    }

    @Test
    void aWindowKeepsOnlyTheReadsOfItsArrayTime() throws Exception {
        ArchiveIndex index = archiveOfTwoArrays();
        Path file = dir.resolve("window.csv");
        long lines;
        try (OutputStream out = Files.newOutputStream(file)) {
            lines = new ArchiveExport(index).csv(List.of(new Selection("sim-1", 50.0, 120.0)), out);
        }
        assertEquals(8L * block.cells(), lines, "sequences 5..12 at 10 s each");
    }

    @Test
    void twoCampaignsOnOneArrayExportTheirOwnReadsAndProgrammingOnly() throws Exception {
        ArchiveLayout layout = ArchiveLayout.under(dir.resolve("data"));
        SegmentWriter w = new SegmentWriter(layout);
        // campaign A programs at 0 s and reads frames 1..12 (at 10..120 s); B programs at 120 s, the
        // array time of A's last read (nothing moved the clock between), and reads 13..25; frames
        // 11..25 share one segment
        w.writeProgrammed(List.of(Records.programmed("sim-1", 1, 0.0, block)), Map.of());
        w.writeReads(Records.frames("sim-1", 1, 10, block), Map.of());
        w.writeProgrammed(List.of(Records.programmed("sim-1", 2, 120.0, block)), Map.of());
        w.writeReads(Records.frames("sim-1", 11, 25, block), Map.of());
        ArchiveIndex index = ArchiveIndex.open(layout);
        ArchiveExport export = new ArchiveExport(index);
        Selection a = Selection.frames("sim-1", 0.0, 1L, 1, 12);
        Selection b = Selection.frames("sim-1", 120.0, 2L, 13, 25);
        assertEquals(12, export.size(List.of(a))[0]);
        assertEquals(13, export.size(List.of(b))[0]);
        for (Selection s : List.of(a, b)) {
            Path file = dir.resolve("c-" + s.firstSequence() + ".h5");
            assertEquals(s.lastSequence() - s.firstSequence() + 1, export.hdf5(List.of(s), file, Map.of(), Map.of(), 1 << 30));
            JsonNode sim = Python.check(dir, "export", file).get("arrays").get("sim-1");
            assertEquals(s.firstSequence(), sim.get("sequences").get(0).asLong(), sim.toString());
            assertEquals(s.lastSequence(), sim.get("sequences").get(sim.get("sequences").size() - 1).asLong(), sim.toString());
            assertEquals(1, sim.get("programmed").asInt(), "the other campaign's programming is not in it: " + sim);
        }
        Path csv = dir.resolve("a.csv");
        try (OutputStream out = Files.newOutputStream(csv)) {
            assertEquals(12L * block.cells(), export.csv(List.of(a), out));
        }
        assertEquals(12 * block.cells(), Python.check(dir, "csv", csv).get("rows").asInt());
        Selection none = Selection.frames("sim-1", 125.0, 2L, 1, 0);
        assertEquals(0, export.size(List.of(none))[0], "a campaign that read nothing yet exports no reads");
        assertThrows(IllegalArgumentException.class, () -> new Selection("sim-1", 10.0, 5.0));
    }

    @Test
    void anHdf5ExportOverTheMemoryBoundIsRefusedWithAWayOut() throws Exception {
        ArchiveIndex index = archiveOfTwoArrays();
        var e = assertThrows(ExportTooLargeException.class, () -> new ArchiveExport(index)
                .hdf5(List.of(Selection.all("sim-1")), dir.resolve("x.h5"), Map.of(), Map.of(), 100));
        assertTrue(e.getMessage().contains("csv"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.h5")));
    }
}
