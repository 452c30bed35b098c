package org.rramlab.archive;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the archive keeps its files (docs/data-format.md):
 * {@code <root>/<array id, URL-encoded>/<kind>-<first>-<last>-<count>x<cells>.h5}, sequences
 * zero-padded to 19 digits so that a listing sorts in sequence order. A file is written as
 * {@code .h5.tmp} and renamed once it is on disk, so a name ending in .h5 is always complete.
 */
public final class ArchiveLayout {
    static final String SUFFIX = ".h5";
    static final String TEMP_SUFFIX = ".h5.tmp";
    private static final Pattern NAME = Pattern.compile("(reads|programmed)-(\\d{19})-(\\d{19})-(\\d+)x(\\d+)\\.h5");

    private final Path root;

    public ArchiveLayout(Path root) {
        this.root = root;
    }

    /** The archive under a node's data directory. */
    public static ArchiveLayout under(Path dataDir) {
        return new ArchiveLayout(dataDir.resolve("archive"));
    }

    public Path root() {
        return root;
    }

    public Path arrayDir(String arrayId) {
        return root.resolve(URLEncoder.encode(arrayId, StandardCharsets.UTF_8));
    }

    static String arrayIdOf(Path arrayDir) {
        return URLDecoder.decode(arrayDir.getFileName().toString(), StandardCharsets.UTF_8);
    }

    public Path segmentPath(String arrayId, SegmentKind kind, long first, long last, int count, int cells) {
        return arrayDir(arrayId).resolve(String.format("%s-%019d-%019d-%dx%d%s", kind.prefix(), first, last, count, cells, SUFFIX));
    }

    /** The segment a file name describes; empty for any other file. */
    static Optional<Segment> parse(String arrayId, Path file, long bytes) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        SegmentKind kind = m.group(1).equals("reads") ? SegmentKind.READS : SegmentKind.PROGRAMMED;
        return Optional.of(new Segment(arrayId, kind, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), file, bytes));
    }
}
