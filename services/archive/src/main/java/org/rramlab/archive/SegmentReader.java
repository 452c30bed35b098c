package org.rramlab.archive;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rramlab.device.Block;
import org.rramlab.device.Frame;
import org.rramlab.streaming.ProgrammedRecord;

/** Reads segment files back into the records they hold. */
public final class SegmentReader {
    private SegmentReader() {}

    public static List<Frame> reads(Segment segment) throws IOException {
        try (HdfFile file = new HdfFile(segment.path())) {
            Block block = block(file);
            float[][][] g = (float[][][]) file.getDatasetByPath("conductance_s").getData();
            long[] sequence = (long[]) file.getDatasetByPath("sequence").getData();
            double[] time = (double[]) file.getDatasetByPath("array_time_s").getData();
            byte[] suspect = (byte[]) file.getDatasetByPath("suspect").getData();
            List<Frame> out = new ArrayList<>(sequence.length);
            for (int f = 0; f < sequence.length; f++) {
                float[] flat = new float[block.cells()];
                for (int r = 0; r < block.rows(); r++) {
                    System.arraycopy(g[f][r], 0, flat, r * block.cols(), block.cols());
                }
                out.add(new Frame(segment.arrayId(), sequence[f], time[f], block, flat, suspect[f] != 0));
            }
            return out;
        } catch (RuntimeException e) {
            throw unreadable(segment.path(), e);
        }
    }

    public static List<ProgrammedRecord> programmed(Segment segment) throws IOException {
        try (HdfFile file = new HdfFile(segment.path())) {
            Block block = block(file);
            byte[][][] levels = (byte[][][]) file.getDatasetByPath("levels").getData();
            long[] sequence = (long[]) file.getDatasetByPath("sequence").getData();
            double[] time = (double[]) file.getDatasetByPath("array_time_s").getData();
            List<ProgrammedRecord> out = new ArrayList<>(sequence.length);
            for (int i = 0; i < sequence.length; i++) {
                byte[] flat = new byte[block.cells()];
                for (int r = 0; r < block.rows(); r++) {
                    System.arraycopy(levels[i][r], 0, flat, r * block.cols(), block.cols());
                }
                out.add(new ProgrammedRecord(segment.arrayId(), sequence[i], time[i], block, flat));
            }
            return out;
        } catch (RuntimeException e) {
            throw unreadable(segment.path(), e);
        }
    }

    private static Block block(HdfFile file) {
        return new Block(intAttribute(file, "row0"), intAttribute(file, "col0"), intAttribute(file, "rows"),
                intAttribute(file, "cols"));
    }

    private static int intAttribute(HdfFile file, String name) {
        return ((Number) file.getAttribute(name).getData()).intValue();
    }

    private static IOException unreadable(Path path, RuntimeException e) {
        return new IOException("archive segment " + path + " cannot be read (" + e.getMessage()
                + "); it may have been changed outside rramlab", e);
    }
}
