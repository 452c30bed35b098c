package org.rramlab.device.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.rramlab.device.DeviceException;
import org.rramlab.device.DevicePreset;

/**
 * Binary snapshot of an {@link ArrayModel}: magic "RRAMSNAP", format version, the preset, the
 * array state, the per-device arrays, then a CRC-32 of everything before it. Big-endian.
 * Caches are not saved; they are recomputed from the state, bit for bit.
 */
final class Snapshots {
    static final byte[] MAGIC = "RRAMSNAP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;

    private Snapshots() {}

    static byte[] write(ArrayModel m) {
        synchronized (m) {
            int n = m.fault.length;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + n * 25);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(MAGIC);
                out.writeInt(VERSION);
                writePreset(out, m.preset);
                out.writeUTF(m.id);
                out.writeInt(m.rows);
                out.writeInt(m.cols);
                out.writeLong(m.seed);
                out.writeDouble(m.clockSeconds);
                out.writeDouble(m.temperatureKelvin);
                out.writeDouble(m.driftTime);
                out.writeLong(m.frameSequence);
                out.writeLong(m.totalPulses);
                out.write(m.fault);
                for (float v : m.gProg) out.writeFloat(v);
                for (float v : m.nu) out.writeFloat(v);
                for (double v : m.driftTimeProgrammed) out.writeDouble(v);
                for (int v : m.programCount) out.writeInt(v);
                for (int v : m.readCount) out.writeInt(v);
                out.flush();
                CRC32 crc = new CRC32();
                crc.update(bytes.toByteArray());
                out.writeLong(crc.getValue());
            } catch (IOException e) {
                throw new IllegalStateException("writing to memory cannot fail", e);
            }
            return bytes.toByteArray();
        }
    }

    static ArrayModel read(byte[] data) {
        if (data == null || data.length < MAGIC.length + 12) {
            throw new DeviceException("not an array snapshot: too short (" + (data == null ? 0 : data.length)
                    + " bytes); give the bytes written by SimulatedArray.snapshot()");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                throw new DeviceException("not an array snapshot: it does not start with RRAMSNAP; "
                        + "give the bytes written by SimulatedArray.snapshot()");
            }
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        long stored = java.nio.ByteBuffer.wrap(data, data.length - 8, 8).getLong();
        if (crc.getValue() != stored) {
            throw new DeviceException("array snapshot is corrupt (checksum mismatch); restore from another copy");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 8))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION && version != 1) {
                throw new DeviceException("array snapshot has format version " + version + " but this build reads version "
                        + VERSION + "; restore it with the rramlab version that wrote it");
            }
            DevicePreset preset = readPreset(in, version);
            String id = in.readUTF();
            int rows = in.readInt();
            int cols = in.readInt();
            long seed = in.readLong();
            if (rows <= 0 || cols <= 0 || (long) rows * cols > (1 << 26)) {
                throw new DeviceException("array snapshot has an impossible shape " + rows + "x" + cols);
            }
            ArrayModel m = new ArrayModel(id, preset, rows, cols, seed, rows * cols);
            m.clockSeconds = in.readDouble();
            m.temperatureKelvin = in.readDouble();
            m.driftTime = in.readDouble();
            m.frameSequence = in.readLong();
            m.totalPulses = in.readLong();
            in.readFully(m.fault);
            for (int i = 0; i < m.gProg.length; i++) m.gProg[i] = in.readFloat();
            for (int i = 0; i < m.nu.length; i++) m.nu[i] = in.readFloat();
            for (int i = 0; i < m.driftTimeProgrammed.length; i++) m.driftTimeProgrammed[i] = in.readDouble();
            for (int i = 0; i < m.programCount.length; i++) m.programCount[i] = in.readInt();
            for (int i = 0; i < m.readCount.length; i++) m.readCount[i] = in.readInt();
            if (in.available() != 0) {
                throw new DeviceException("array snapshot has " + in.available() + " unexpected trailing bytes");
            }
            m.afterRestore();
            return m;
        } catch (IOException | IllegalArgumentException e) {
            throw new DeviceException("array snapshot is truncated or malformed (" + e.getMessage()
                    + "); restore from another copy", e);
        }
    }

    private static void writePreset(DataOutputStream out, DevicePreset p) throws IOException {
        out.writeUTF(p.name());
        out.writeUTF(p.description());
        out.writeInt(p.levels());
        out.writeDouble(p.gMaxSiemens());
        out.writeDouble(p.onOffRatio());
        out.writeDouble(p.variationSigma());
        out.writeDouble(p.stuckAtHighFraction());
        out.writeDouble(p.stuckAtLowFraction());
        out.writeDouble(p.readNoiseRelative());
        DevicePreset.Drift d = p.drift();
        out.writeDouble(d.t0Seconds());
        out.writeDouble(d.nuMeanAtGmin());
        out.writeDouble(d.nuMeanAtGmax());
        out.writeDouble(d.nuSigma());
        out.writeDouble(d.activationEnergyEv());
        out.writeDouble(d.referenceTemperatureKelvin());
        DevicePreset.WriteVerify w = p.writeVerify();
        out.writeDouble(w.toleranceRelative());
        out.writeInt(w.maxPulses());
        out.writeDouble(w.pulseSeconds());
        out.writeDouble(w.stepSigmaFraction());
        // version 2: the drift law and the filamentary law's parameters
        out.writeUTF(d.law());
        out.writeDouble(d.meanShiftAtGmin());
        out.writeDouble(d.meanShiftAtGmax());
        out.writeDouble(d.spread0());
        out.writeDouble(d.spread1());
        out.writeDouble(d.spread2());
    }

    /** Version 1 snapshots hold the power law only. */
    private static DevicePreset readPreset(DataInputStream in, int version) throws IOException {
        DevicePreset p = new DevicePreset(in.readUTF(), in.readUTF(), in.readInt(), in.readDouble(), in.readDouble(),
                in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                new DevicePreset.Drift(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble()),
                new DevicePreset.WriteVerify(in.readDouble(), in.readInt(), in.readDouble(), in.readDouble()));
        if (version == 1) {
            return p;
        }
        DevicePreset.Drift d = p.drift();
        return new DevicePreset(p.name(), p.description(), p.levels(), p.gMaxSiemens(), p.onOffRatio(),
                p.variationSigma(), p.stuckAtHighFraction(), p.stuckAtLowFraction(), p.readNoiseRelative(),
                new DevicePreset.Drift(in.readUTF(), d.t0Seconds(), d.nuMeanAtGmin(), d.nuMeanAtGmax(), d.nuSigma(),
                        d.activationEnergyEv(), d.referenceTemperatureKelvin(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble(), in.readDouble()), p.writeVerify());
    }
}
