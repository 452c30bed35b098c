package org.rramlab.archive;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;
import org.rramlab.streaming.ProgrammedRecord;

/**
 * A campaign's archived records out, for notebooks: the long CSV form, streamed segment by
 * segment in constant memory, or one HDF5 file (docs/data-format.md). jHDF builds a file in
 * memory before writing it, so an HDF5 export is bounded by {@code maxHdf5Bytes}; a larger one is
 * refused with a pointer to CSV or to the segment files themselves.
 */
public final class ArchiveExport {
    private final ArchiveIndex index;

    public ArchiveExport(ArchiveIndex index) {
        this.index = index;
    }

    /**
     * Read frames and payload bytes an HDF5 export of these selections would hold, from the index
     * alone (a segment the selection's sequences cover in part counts in proportion).
     */
    public long[] size(List<Selection> selections) {
        long frames = 0;
        long bytes = 0;
        for (Selection s : selections) {
            for (Segment seg : index.segments(s.arrayId(), SegmentKind.READS)) {
                if (!s.overlaps(seg.first(), seg.last())) {
                    continue;
                }
                long inside = Math.min(seg.last(), s.lastSequence()) - Math.max(seg.first(), s.firstSequence()) + 1;
                double share = Math.min(1.0, (double) inside / Math.max(1, seg.last() - seg.first() + 1));
                frames += Math.round(seg.count() * share);
                bytes += Math.round(seg.cells() * (double) Float.BYTES * share);
            }
        }
        return new long[] {frames, bytes};
    }

    /**
     * A selection by sequences ends, in array time, at its last frame: programming after that is
     * another campaign's. Reads the last segment holding its frames.
     */
    Selection bounded(Selection s) throws IOException {
        if (!s.bySequence() || s.toSeconds() != Double.POSITIVE_INFINITY) {
            return s;
        }
        List<Segment> segments = index.segments(s.arrayId(), SegmentKind.READS);
        for (int i = segments.size() - 1; i >= 0; i--) {
            Segment seg = segments.get(i);
            if (!s.overlaps(seg.first(), seg.last())) {
                continue;
            }
            double last = Double.NEGATIVE_INFINITY;
            for (Frame f : SegmentReader.reads(seg)) {
                if (s.containsRead(f.sequence(), f.arrayTimeSeconds())) {
                    last = Math.max(last, f.arrayTimeSeconds());
                }
            }
            if (last != Double.NEGATIVE_INFINITY) {
                return s.until(last);
            }
        }
        return s.until(s.fromSeconds()); // no frame archived yet: the programming at the start only
    }

    /** Writes the long CSV form; returns the number of cell lines. */
    public long csv(List<Selection> selections, OutputStream out) throws IOException {
        return csv(selections, out, List.of());
    }

    /**
     * Writes the long CSV form after {@code comments}, each a line starting with "# " (the run's
     * metadata; readers skip them: pandas with {@code comment="#"}, the import by itself).
     */
    public long csv(List<Selection> selections, OutputStream out, List<String> comments) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        for (String comment : comments) {
            w.write("# ");
            w.write(comment.replace('\n', ' ').replace('\r', ' '));
            w.write('\n');
        }
        w.write(CsvColumns.HEADER_LINE);
        w.write('\n');
        long lines = 0;
        StringBuilder line = new StringBuilder(96);
        for (Selection asked : selections) {
            Selection s = bounded(asked);
            TargetLevels targets = new TargetLevels(programmed(s, true));
            for (Segment seg : index.segments(s.arrayId(), SegmentKind.READS)) {
                if (!s.overlaps(seg.first(), seg.last())) {
                    continue;
                }
                for (Frame f : SegmentReader.reads(seg)) {
                    if (!s.containsRead(f.sequence(), f.arrayTimeSeconds())) {
                        continue;
                    }
                    targets.advanceTo(f.arrayTimeSeconds());
                    Block b = f.block();
                    float[] g = f.conductances();
                    String prefix = csvField(f.arrayId()) + "," + f.sequence() + "," + f.arrayTimeSeconds() + ",";
                    String suffixSuspect = f.suspect() ? ",1\n" : ",0\n";
                    for (int r = 0; r < b.rows(); r++) {
                        for (int c = 0; c < b.cols(); c++) {
                            int row = b.row0() + r;
                            int col = b.col0() + c;
                            int level = targets.level(row, col);
                            line.setLength(0);
                            line.append(prefix).append(row).append(',').append(col).append(',')
                                    .append(g[r * b.cols() + c]).append(',');
                            if (level >= 0) {
                                line.append(level);
                            }
                            line.append(suffixSuspect);
                            w.append(line);
                            lines++;
                        }
                    }
                }
            }
        }
        w.flush();
        return lines;
    }

    /**
     * Writes one HDF5 file: {@code /arrays/<array id>/} with the layout of docs/data-format.md,
     * {@code rootAttributes} (provenance) on the root group.
     *
     * @throws ExportTooLargeException when the frames exceed {@code maxHdf5Bytes}
     */
    public long hdf5(List<Selection> selections, Path out, Map<String, ?> rootAttributes,
                     Map<String, Map<String, ?>> arrayAttributes, long maxHdf5Bytes) throws IOException {
        long payload = size(selections)[1];
        if (payload > maxHdf5Bytes) {
            throw new ExportTooLargeException("the export holds " + payload + " bytes of conductances, more than"
                    + " rramlab.archive.max-hdf5-export-bytes (" + maxHdf5Bytes + "): export it as csv, or read the"
                    + " archive's segment files under " + index.layout().root() + " (docs/data-format.md)");
        }
        long frames = 0;
        try (WritableHdfFile file = HdfFile.write(out)) {
            file.putAttribute("format", "rramlab-export-1");
            SegmentWriter.putAll(file, rootAttributes);
            WritableGroup arrays = file.putGroup("arrays");
            for (Selection asked : selections) {
                Selection s = bounded(asked);
                WritableGroup array = arrays.putGroup(URLEncoder.encode(s.arrayId(), StandardCharsets.UTF_8));
                array.putAttribute("array_id", s.arrayId());
                SegmentWriter.putAll(array, arrayAttributes.getOrDefault(s.arrayId(), Map.of()));
                frames += putReads(array, s);
                putProgrammed(array, programmed(s, false));
            }
        } catch (RuntimeException e) {
            throw new IOException("writing the HDF5 export " + out + " failed: " + e.getMessage(), e);
        }
        return frames;
    }

    private long putReads(WritableGroup array, Selection s) throws IOException {
        Map<Block, List<Frame>> byBlock = new LinkedHashMap<>();
        for (Segment seg : index.segments(s.arrayId(), SegmentKind.READS)) {
            if (!s.overlaps(seg.first(), seg.last())) {
                continue;
            }
            for (Frame f : SegmentReader.reads(seg)) {
                if (s.containsRead(f.sequence(), f.arrayTimeSeconds())) {
                    byBlock.computeIfAbsent(f.block(), b -> new ArrayList<>()).add(f);
                }
            }
        }
        long n = 0;
        for (var e : byBlock.entrySet()) {
            // one block (the usual case) sits at the array's level; several get a group each
            WritableGroup g = byBlock.size() == 1 ? array : array.putGroup(blockName(e.getKey()));
            putFrames(g, e.getKey(), e.getValue());
            n += e.getValue().size();
        }
        return n;
    }

    private static String blockName(Block b) {
        return "block_" + b.row0() + "_" + b.col0() + "_" + b.rows() + "x" + b.cols();
    }

    private static void putFrames(WritableGroup g, Block block, List<Frame> frames) {
        int n = frames.size();
        float[][][] c = new float[n][block.rows()][block.cols()];
        long[] sequence = new long[n];
        double[] time = new double[n];
        byte[] suspect = new byte[n];
        for (int f = 0; f < n; f++) {
            Frame frame = frames.get(f);
            for (int r = 0; r < block.rows(); r++) {
                System.arraycopy(frame.conductances(), r * block.cols(), c[f][r], 0, block.cols());
            }
            sequence[f] = frame.sequence();
            time[f] = frame.arrayTimeSeconds();
            suspect[f] = (byte) (frame.suspect() ? 1 : 0);
        }
        g.putAttribute("row0", block.row0());
        g.putAttribute("col0", block.col0());
        g.putAttribute("rows", block.rows());
        g.putAttribute("cols", block.cols());
        g.putDataset("conductance_s", c).putAttribute("units", "S");
        g.putDataset("sequence", sequence);
        g.putDataset("array_time_s", time).putAttribute("units", "s");
        g.putDataset("suspect", suspect);
    }

    private static void putProgrammed(WritableGroup array, List<ProgrammedRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<Block, List<ProgrammedRecord>> byBlock = new LinkedHashMap<>();
        records.forEach(p -> byBlock.computeIfAbsent(p.block(), b -> new ArrayList<>()).add(p));
        WritableGroup programmed = array.putGroup("programmed");
        for (var e : byBlock.entrySet()) {
            Block block = e.getKey();
            List<ProgrammedRecord> l = e.getValue();
            WritableGroup g = byBlock.size() == 1 ? programmed : programmed.putGroup(blockName(block));
            byte[][][] levels = new byte[l.size()][block.rows()][block.cols()];
            long[] sequence = new long[l.size()];
            double[] time = new double[l.size()];
            for (int i = 0; i < l.size(); i++) {
                for (int r = 0; r < block.rows(); r++) {
                    System.arraycopy(l.get(i).levels(), r * block.cols(), levels[i][r], 0, block.cols());
                }
                sequence[i] = l.get(i).sequence();
                time[i] = l.get(i).arrayTimeSeconds();
            }
            g.putAttribute("row0", block.row0());
            g.putAttribute("col0", block.col0());
            g.putAttribute("rows", block.rows());
            g.putAttribute("cols", block.cols());
            g.putDataset("levels", levels).putAttribute("no_level", (int) ProgrammedRecord.NO_LEVEL);
            g.putDataset("sequence", sequence);
            g.putDataset("array_time_s", time).putAttribute("units", "s");
        }
    }

    /** The array's programming in the window; with {@code history}, also what came before it (the targets in force). */
    private List<ProgrammedRecord> programmed(Selection s, boolean history) throws IOException {
        List<ProgrammedRecord> out = new ArrayList<>();
        for (Segment seg : index.segments(s.arrayId(), SegmentKind.PROGRAMMED)) {
            for (ProgrammedRecord p : SegmentReader.programmed(seg)) {
                if (s.containsProgrammed(p.sequence(), p.arrayTimeSeconds(), history)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** The level each cell was last programmed to, as the reads advance in array time. */
    private static final class TargetLevels {
        private final List<ProgrammedRecord> records;
        private int next;
        private byte[] grid = new byte[0];
        private int width;

        TargetLevels(List<ProgrammedRecord> records) {
            this.records = records;
        }

        void advanceTo(double time) {
            while (next < records.size() && records.get(next).arrayTimeSeconds() <= time) {
                apply(records.get(next++));
            }
        }

        private void apply(ProgrammedRecord p) {
            Block b = p.block();
            int rows = Math.max(height(), b.row0() + b.rows());
            int cols = Math.max(width, b.col0() + b.cols());
            if (rows != height() || cols != width) {
                byte[] bigger = new byte[rows * cols];
                Arrays.fill(bigger, (byte) -1);
                for (int r = 0; r < height(); r++) {
                    System.arraycopy(grid, r * width, bigger, r * cols, width);
                }
                grid = bigger;
                width = cols;
            }
            for (int r = 0; r < b.rows(); r++) {
                System.arraycopy(p.levels(), r * b.cols(), grid, (b.row0() + r) * width + b.col0(), b.cols());
            }
        }

        private int height() {
            return width == 0 ? 0 : grid.length / width;
        }

        int level(int row, int col) {
            return row < height() && col < width ? grid[row * width + col] : -1;
        }
    }
}
