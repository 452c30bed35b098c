package org.rramlab.learning.data;

/** Turns raw 0..255 pixels into floats normalized with the dataset's per-channel mean and std. */
public final class Normalizer {
    private Normalizer() {}

    public static Dataset normalize(String name, DatasetKind kind, IdxFiles.RawImages raw, int[] labels) {
        int plane = raw.rows() * raw.cols();
        int channels = kind.channels();
        if (raw.rows() != kind.size() || raw.cols() != kind.size()) {
            throw new DatasetFormatException(name + ": images are " + raw.rows() + "x" + raw.cols() + ", "
                    + kind.id() + " images are " + kind.size() + "x" + kind.size() + ": wrong files in the " + kind.id()
                    + " folder?");
        }
        for (int label : labels) {
            if (label < 0 || label > 9) {
                throw new DatasetFormatException(name + ": label " + label + " outside 0..9: wrong label file?");
            }
        }
        byte[] px = raw.pixels();
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            int c = (i / plane) % channels;
            out[i] = ((px[i] & 0xff) / 255f - kind.mean(c)) / kind.std(c);
        }
        return new Dataset(name, out, labels, channels, raw.rows(), raw.cols(), 10);
    }
}
