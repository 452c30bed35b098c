package org.rramlab.archive;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;
import org.rramlab.streaming.ProgrammedRecord;
import org.rramlab.streaming.RecordView;

/**
 * Writes one segment file (docs/data-format.md) durably: to a temporary name, fsync, rename,
 * fsync of the directory. Only then does the file count as archived, and only then may the
 * Kafka offsets past its records be committed. jHDF writes a whole file at once (no appending,
 * contiguous datasets only), which is why the archive is a series of segment files.
 */
public class SegmentWriter {
    public static final String FORMAT = "rramlab-archive-1";

    private final ArchiveLayout layout;

    public SegmentWriter(ArchiveLayout layout) {
        this.layout = layout;
    }

    /** Reads of one array, all of the same block, in increasing sequence. */
    public Segment writeReads(List<Frame> frames, Map<String, ?> attributes) throws IOException {
        Frame head = frames.get(0);
        for (Frame frame : frames) {
            if (!frame.block().equals(head.block()) || !frame.arrayId().equals(head.arrayId())) {
                throw new IllegalArgumentException("a reads segment holds one array and one block; frame "
                        + frame.sequence() + " is of " + frame.arrayId() + " " + frame.block());
            }
        }
        return writeReads(head.arrayId(), head.block(), frames.size(), attributes, f -> {
            Frame frame = frames.get(f);
            float[] src = frame.conductances();
            return new Read(frame.sequence(), frame.arrayTimeSeconds(), frame.suspect(),
                    (from, row) -> System.arraycopy(src, from, row, 0, row.length));
        });
    }

    /**
     * The same from records read in place (the archive's consumer): each cell goes from Kafka's
     * bytes straight into the dataset, with no frame decoded in between.
     */
    public Segment writeReadViews(List<RecordView> frames, Map<String, ?> attributes) throws IOException {
        RecordView head = frames.get(0);
        for (RecordView frame : frames) {
            if (!frame.isRead() || !frame.block().equals(head.block()) || !frame.arrayId().equals(head.arrayId())) {
                throw new IllegalArgumentException("a reads segment holds reads of one array and one block; record "
                        + frame.sequence() + " is of " + frame.arrayId() + " " + frame.block());
            }
        }
        return writeReads(head.arrayId(), head.block(), frames.size(), attributes, f -> {
            RecordView frame = frames.get(f);
            return new Read(frame.sequence(), frame.arrayTimeSeconds(), frame.suspect(),
                    (from, row) -> frame.conductances(from, row.length, row, 0));
        });
    }

    /** One read as a reads segment stores it; {@code cells} copies a row of the block's cells, from a cell index. */
    private record Read(long sequence, double arrayTimeSeconds, boolean suspect, RowCopy cells) {}

    private interface RowCopy {
        void copy(int from, float[] row);
    }

    private Segment writeReads(String arrayId, Block block, int n, Map<String, ?> attributes, IntFunction<Read> reads)
            throws IOException {
        float[][][] g = new float[n][block.rows()][block.cols()];
        long[] sequence = new long[n];
        double[] time = new double[n];
        byte[] suspect = new byte[n];
        for (int f = 0; f < n; f++) {
            Read read = reads.apply(f);
            for (int r = 0; r < block.rows(); r++) {
                read.cells().copy(r * block.cols(), g[f][r]);
            }
            sequence[f] = read.sequence();
            time[f] = read.arrayTimeSeconds();
            suspect[f] = (byte) (read.suspect() ? 1 : 0);
        }
        Path target = layout.segmentPath(arrayId, SegmentKind.READS, sequence[0], sequence[n - 1], n, block.cells());
        return write(target, arrayId, SegmentKind.READS, sequence[0], sequence[n - 1], n, block.cells(), file -> {
            putBlock(file, block);
            file.putDataset("conductance_s", g).putAttribute("units", "S");
            file.putDataset("sequence", sequence);
            file.putDataset("array_time_s", time).putAttribute("units", "s");
            file.putDataset("suspect", suspect);
            putAll(file, attributes);
        });
    }

    /** Programming operations of one array, all of the same block, in increasing sequence. */
    public Segment writeProgrammed(List<ProgrammedRecord> records, Map<String, ?> attributes) throws IOException {
        ProgrammedRecord head = records.get(0);
        Block block = head.block();
        int n = records.size();
        byte[][][] levels = new byte[n][block.rows()][block.cols()];
        long[] sequence = new long[n];
        double[] time = new double[n];
        for (int i = 0; i < n; i++) {
            ProgrammedRecord p = records.get(i);
            if (!p.block().equals(block) || !p.arrayId().equals(head.arrayId())) {
                throw new IllegalArgumentException("a programmed segment holds one array and one block; operation "
                        + p.sequence() + " is of " + p.arrayId() + " " + p.block());
            }
            for (int r = 0; r < block.rows(); r++) {
                System.arraycopy(p.levels(), r * block.cols(), levels[i][r], 0, block.cols());
            }
            sequence[i] = p.sequence();
            time[i] = p.arrayTimeSeconds();
        }
        Path target = layout.segmentPath(head.arrayId(), SegmentKind.PROGRAMMED, sequence[0], sequence[n - 1], n, block.cells());
        return write(target, head.arrayId(), SegmentKind.PROGRAMMED, sequence[0], sequence[n - 1], n, block.cells(), file -> {
            putBlock(file, block);
            file.putDataset("levels", levels).putAttribute("no_level", (int) ProgrammedRecord.NO_LEVEL);
            file.putDataset("sequence", sequence);
            file.putDataset("array_time_s", time).putAttribute("units", "s");
            putAll(file, attributes);
        });
    }

    private interface Content {
        void fill(WritableHdfFile file);
    }

    private Segment write(Path target, String arrayId, SegmentKind kind, long first, long last, int count, int cells,
                          Content content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (WritableHdfFile file = HdfFile.write(temp)) {
            file.putAttribute("format", FORMAT);
            file.putAttribute("kind", kind.prefix());
            file.putAttribute("array_id", arrayId);
            content.fill(file);
        } catch (RuntimeException e) {
            Files.deleteIfExists(temp);
            throw new IOException("writing archive segment " + target.getFileName() + " failed: " + e.getMessage(), e);
        }
        force(temp, false);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        force(target.getParent(), true);
        return new Segment(arrayId, kind, first, last, count, cells, target, Files.size(target));
    }

    private static void putBlock(WritableNode node, Block block) {
        node.putAttribute("row0", block.row0());
        node.putAttribute("col0", block.col0());
        node.putAttribute("rows", block.rows());
        node.putAttribute("cols", block.cols());
    }

    static void putAll(WritableNode node, Map<String, ?> attributes) {
        attributes.forEach((k, v) -> {
            if (v != null) {
                node.putAttribute(k, v instanceof Number || v instanceof String ? v : v.toString());
            }
        });
    }

    /** fsync of a file, or of a directory so that a rename in it is durable. */
    static void force(Path path, boolean directory) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
            // some file systems refuse to open a directory; the rename is then as durable as they make it
        }
    }
}
