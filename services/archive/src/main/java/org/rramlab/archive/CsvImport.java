package org.rramlab.archive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.ReadRecord;

/**
 * Measured reads from a lab's own instrument, in the long CSV form of {@link CsvColumns}
 * (docs/data-format.md), turned into the records the topic carries: per sequence one read frame
 * over the rectangle its cells cover, preceded by a programming record whenever the target
 * levels change. The whole file is checked before anything is returned, so a bad file is refused
 * whole: nothing is half-imported.
 */
public final class CsvImport {
    /** Limits a value must respect; conductances outside them are most likely in another unit. */
    public record Limits(double maxConductanceSiemens, int levels, int maxCells) {}

    private final Limits limits;

    public CsvImport(Limits limits) {
        this.limits = limits;
    }

    private static final class Cell {
        final int row;
        final int col;
        final float g;
        final int level;

        Cell(int row, int col, float g, int level) {
            this.row = row;
            this.col = col;
            this.g = g;
            this.level = level;
        }
    }

    private static final class Pending {
        final long sequence;
        final long firstLine;
        final double time;
        boolean suspect;
        final List<Cell> cells = new ArrayList<>();

        Pending(long sequence, long firstLine, double time) {
            this.sequence = sequence;
            this.firstLine = firstLine;
            this.time = time;
        }
    }

    /**
     * @param arrayId the array the reads are published as; every line's array_id must be it
     * @return the records in publishing order
     */
    public List<ConductanceRecord> parse(Reader in, String arrayId) throws IOException, ImportException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        String header = r.readLine();
        long comments = 0;
        while (header != null && header.startsWith("#")) {
            header = r.readLine(); // comment lines before the header (an export's metadata)
            comments++;
        }
        if (header == null) {
            throw new ImportException(0, "the file is empty; the first line must be the header " + CsvColumns.HEADER_LINE);
        }
        header = header.startsWith("\uFEFF") ? header.substring(1) : header;
        List<String> names = Arrays.stream(header.split(",", -1)).map(String::trim).toList();
        if (!names.equals(CsvColumns.HEADER)) {
            for (int i = 0; i < CsvColumns.HEADER.size(); i++) {
                if (i >= names.size() || !names.get(i).equals(CsvColumns.HEADER.get(i))) {
                    throw new ImportException(1, "column " + (i + 1) + " is \"" + (i < names.size() ? names.get(i) : "")
                            + "\", expected \"" + CsvColumns.HEADER.get(i) + "\"; the header must be " + CsvColumns.HEADER_LINE);
                }
            }
            throw new ImportException(1, names.size() + " columns, expected " + CsvColumns.HEADER.size() + ": "
                    + CsvColumns.HEADER_LINE);
        }
        Map<Long, Pending> frames = new LinkedHashMap<>();
        long lineNo = 1 + comments;
        long cells = 0;
        Pending current = null;
        String line;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != CsvColumns.HEADER.size()) {
                throw new ImportException(lineNo, f.length + " fields, expected " + CsvColumns.HEADER.size()
                        + " (" + CsvColumns.HEADER_LINE + "); is the file truncated?");
            }
            if (!f[0].trim().equals(arrayId)) {
                throw new ImportException(lineNo, "array_id \"" + f[0].trim() + "\" is not the array imported (" + arrayId
                        + "); import one array per file");
            }
            long sequence = longField(f[1], "sequence", lineNo);
            if (sequence < 1) {
                throw new ImportException(lineNo, "sequence must be >= 1, got " + sequence);
            }
            double time = doubleField(f[2], "array_time_s", lineNo);
            if (!(time >= 0) || Double.isInfinite(time)) {
                throw new ImportException(lineNo, "array_time_s must be a finite number of seconds >= 0, got " + f[2].trim());
            }
            int row = intField(f[3], "row", lineNo);
            int col = intField(f[4], "col", lineNo);
            if (row < 0 || col < 0) {
                throw new ImportException(lineNo, "row and col must be >= 0 (0-based cell indices)");
            }
            double g = doubleField(f[5], "conductance_s", lineNo);
            if (!(g >= 0 && g <= limits.maxConductanceSiemens())) {
                throw new ImportException(lineNo, "conductance_s " + f[5].trim() + " is outside 0.." + limits.maxConductanceSiemens()
                        + " S; give conductances in siemens (1 uS = 1e-6)");
            }
            String levelText = f[6].trim();
            int level = levelText.isEmpty() ? ProgrammedRecord.NO_LEVEL : intField(f[6], "target_level", lineNo);
            if (level < -1 || level >= limits.levels()) {
                throw new ImportException(lineNo, "target_level " + level + " is outside 0.." + (limits.levels() - 1)
                        + " (the preset's levels); leave it empty or -1 for a cell not programmed to a level");
            }
            String s = f[7].trim();
            boolean suspect;
            switch (s) {
                case "0", "false", "" -> suspect = false;
                case "1", "true" -> suspect = true;
                default -> throw new ImportException(lineNo, "suspect must be 0 or 1, got \"" + s + "\"");
            }
            if (current == null || current.sequence != sequence) {
                if (frames.containsKey(sequence)) {
                    throw new ImportException(lineNo, "sequence " + sequence + " appears again after other sequences;"
                            + " keep the lines of one read together");
                }
                if (current != null && sequence < current.sequence) {
                    throw new ImportException(lineNo, "sequence " + sequence + " after " + current.sequence
                            + ": reads must come in increasing sequence");
                }
                current = new Pending(sequence, lineNo, time);
                frames.put(sequence, current);
            } else if (time != current.time) {
                throw new ImportException(lineNo, "array_time_s " + time + " differs from " + current.time
                        + " on line " + current.firstLine + " of the same sequence " + sequence);
            }
            if (++cells > limits.maxCells()) {
                throw new ImportException(lineNo, "more than " + limits.maxCells() + " cell reads in one file; split it");
            }
            current.suspect |= suspect;
            current.cells.add(new Cell(row, col, (float) g, level));
        }
        if (frames.isEmpty()) {
            throw new ImportException(0, "the file has a header but no reads");
        }
        return records(frames, arrayId);
    }

    private List<ConductanceRecord> records(Map<Long, Pending> frames, String arrayId) throws ImportException {
        List<ConductanceRecord> out = new ArrayList<>();
        byte[] lastLevels = null;
        Block lastBlock = null;
        double previousTime = -1;
        for (Pending p : frames.values()) {
            if (p.time < previousTime) {
                throw new ImportException(p.firstLine, "array_time_s " + p.time + " of sequence " + p.sequence
                        + " is before the previous read's " + previousTime + "; the array's clock only advances");
            }
            previousTime = p.time;
            int row0 = Integer.MAX_VALUE;
            int col0 = Integer.MAX_VALUE;
            int row1 = -1;
            int col1 = -1;
            for (Cell c : p.cells) {
                row0 = Math.min(row0, c.row);
                col0 = Math.min(col0, c.col);
                row1 = Math.max(row1, c.row);
                col1 = Math.max(col1, c.col);
            }
            Block block = new Block(row0, col0, row1 - row0 + 1, col1 - col0 + 1);
            if ((long) block.rows() * block.cols() != p.cells.size()) {
                throw new ImportException(p.firstLine, "sequence " + p.sequence + " has " + p.cells.size()
                        + " cells, but its rows " + row0 + ".." + row1 + " and columns " + col0 + ".." + col1 + " make "
                        + (long) block.rows() * block.cols() + ": a read must cover a full rectangle (is the file truncated?)");
            }
            float[] g = new float[block.cells()];
            byte[] levels = new byte[block.cells()];
            boolean[] seen = new boolean[block.cells()];
            for (Cell c : p.cells) {
                int i = (c.row - row0) * block.cols() + (c.col - col0);
                if (seen[i]) {
                    throw new ImportException(p.firstLine, "sequence " + p.sequence + " reads cell (" + c.row + "," + c.col
                            + ") twice");
                }
                seen[i] = true;
                g[i] = c.g;
                levels[i] = (byte) c.level;
            }
            if (!block.equals(lastBlock) || !Arrays.equals(levels, lastLevels)) {
                // numbered by the read it precedes: a later file of the same array (sequences after this
                // one's) gets programming sequences of its own, not 1, 2, ... again (dropped as duplicates)
                out.add(new ProgrammedRecord(arrayId, p.sequence, p.time, block, levels));
                lastBlock = block;
                lastLevels = levels;
            }
            out.add(new ReadRecord(new Frame(arrayId, p.sequence, p.time, block, g, p.suspect)));
        }
        return out;
    }

    private static long longField(String text, String name, long line) throws ImportException {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ImportException(line, name + " \"" + text.trim() + "\" is not an integer");
        }
    }

    private static int intField(String text, String name, long line) throws ImportException {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ImportException(line, name + " \"" + text.trim() + "\" is not an integer");
        }
    }

    private static double doubleField(String text, String name, long line) throws ImportException {
        String t = text.trim();
        try {
            double v = Double.parseDouble(t);
            if (t.isEmpty() || Double.isNaN(v) || t.endsWith("d") || t.endsWith("f") || t.endsWith("D") || t.endsWith("F")) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ImportException(line, name + " \"" + t + "\" is not a number");
        }
    }
}
