package org.rramlab.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rramlab.device.Block;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/** Measured reads in: a good file becomes frames; every kind of bad file is refused whole, its line named. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class CsvImportTest {
    @TempDir
    Path dir;

    private final CsvImport importer = new CsvImport(new CsvImport.Limits(1e-2, 10, 10_000_000));

    private static final String GOOD = """
            array_id,sequence,array_time_s,row,col,conductance_s,target_level,suspect
            chip-7,1,0.0,0,0,1.0e-5,1,0
            chip-7,1,0.0,0,1,2.0e-5,2,0
            chip-7,1,0.0,1,0,3.0e-5,3,0
            chip-7,1,0.0,1,1,4.0e-5,,1
            chip-7,2,60.5,0,0,1.1e-5,1,0
            chip-7,2,60.5,0,1,2.1e-5,2,0
            chip-7,2,60.5,1,0,3.1e-5,3,0
            chip-7,2,60.5,1,1,4.1e-5,,0
            """;

    @Test
    void aGoodFileBecomesOneProgrammingAndAFramePerSequence() throws Exception {
        List<ConductanceRecord> records = importer.parse(new StringReader(GOOD), "chip-7");
        assertEquals(3, records.size());
        ProgrammedRecord p = assertInstanceOf(ProgrammedRecord.class, records.get(0));
        assertEquals(new Block(0, 0, 2, 2), p.block());
        assertEquals(ProgrammedRecord.NO_LEVEL, p.levels()[3]);
        ReadRecord first = assertInstanceOf(ReadRecord.class, records.get(1));
        assertTrue(first.frame().suspect());
        assertEquals(4.0e-5f, first.frame().conductances()[3]);
        assertEquals(60.5, records.get(2).arrayTimeSeconds());
    }

    @Test
    void anExportReadsBackAsTheSameFrames() throws Exception {
        ArchiveLayout layout = ArchiveLayout.under(dir);
        Block block = new Block(0, 0, 3, 4);
        new SegmentWriter(layout).writeProgrammed(List.of(Records.programmed("chip-7", 1, 0, block)), Map.of());
        new SegmentWriter(layout).writeReads(Records.frames("chip-7", 1, 5, block), Map.of());
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        new ArchiveExport(ArchiveIndex.open(layout)).csv(List.of(Selection.all("chip-7")), csv);
        List<ConductanceRecord> back = importer.parse(new StringReader(csv.toString(StandardCharsets.UTF_8)), "chip-7");
        assertEquals(6, back.size(), "one programming, five reads");
        ReadRecord third = (ReadRecord) back.get(3);
        assertEquals(3, third.sequence());
        assertEquals(Records.frame("chip-7", 3, block).conductances()[11], third.frame().conductances()[11]);
    }

    private ImportException refused(String text) {
        return assertThrows(ImportException.class, () -> importer.parse(new StringReader(text), "chip-7"));
    }

    private static String replaceLine(int line, String with) {
        List<String> lines = new java.util.ArrayList<>(GOOD.lines().toList());
        lines.set(line - 1, with);
        return String.join("\n", lines) + "\n";
    }

    @Test
    void aWrongColumnIsRefusedNamingTheHeader() {
        ImportException e = refused(GOOD.replace("conductance_s", "conductance_us"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("column 6") && e.getMessage().contains("conductance_s"), e.getMessage());
    }

    @Test
    void aNonNumberIsRefusedNamingLineAndField() {
        ImportException e = refused(replaceLine(4, "chip-7,1,0.0,1,0,abc,3,0"));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("line 4: conductance_s \"abc\" is not a number"), e.getMessage());
    }

    @Test
    void aConductanceInAnotherUnitIsRefused() {
        ImportException e = refused(replaceLine(3, "chip-7,1,0.0,0,1,20.0,2,0"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("siemens"), e.getMessage());
    }

    @Test
    void aLevelOutsideThePresetIsRefused() {
        ImportException e = refused(replaceLine(2, "chip-7,1,0.0,0,0,1.0e-5,12,0"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("target_level 12"), e.getMessage());
    }

    @Test
    void aTruncatedLastLineIsRefused() {
        String cut = GOOD.substring(0, GOOD.length() - 12);
        ImportException e = refused(cut);
        assertEquals(9, e.line());
        assertTrue(e.getMessage().contains("fields") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aFileCutBetweenLinesLeavesAnIncompleteReadAndIsRefused() {
        String cut = String.join("\n", GOOD.lines().limit(8).toList()) + "\n";
        ImportException e = refused(cut);
        assertEquals(6, e.line(), "the first line of the incomplete read");
        assertTrue(e.getMessage().contains("sequence 2 has 3 cells"), e.getMessage());
    }

    @Test
    void anotherArraysLinesAreRefused() {
        ImportException e = refused(replaceLine(5, "chip-8,1,0.0,1,1,4.0e-5,,1"));
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("array_id"), e.getMessage());
    }

    @Test
    void anEmptyFileIsRefused() {
        assertTrue(refused("").getMessage().contains("header"));
        assertTrue(refused(CsvColumns.HEADER_LINE + "\n").getMessage().contains("no reads"));
    }
}
