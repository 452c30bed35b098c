package org.rramlab.livearchive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.archive.ArchiveExport;
import org.rramlab.archive.ArchiveIndex;
import org.rramlab.archive.Selection;
import org.rramlab.campaign.CampaignStatus;

/** Which archived records are a campaign's, and how much of them is archived. */
public final class CampaignData {
    private CampaignData() {}

    /**
     * Every array of the campaign, its own records only: the frames it read (by sequence) and the
     * programming from its start to its last read, so that another campaign on the same array does
     * not leak into its export. Before it programmed: nothing; a campaign started before the
     * sequences were kept is told by array time from its start on.
     */
    public static List<Selection> selections(CampaignStatus status) {
        return status.arrays().stream().map(array -> {
            CampaignStatus.ReadSpan span = status.readSpans() == null ? null : status.readSpans().get(array);
            if (span == null) {
                return Selection.frames(array, Double.POSITIVE_INFINITY, null, 1, 0); // not programmed yet: none of its records
            }
            if (status.step() == 0) {
                return Selection.frames(array, span.fromArrayTimeSeconds(), span.programSequence(), 1, 0);
            }
            if (span.firstSequence() == null) {
                return new Selection(array, span.fromArrayTimeSeconds(), Double.POSITIVE_INFINITY);
            }
            return Selection.frames(array, span.fromArrayTimeSeconds(), span.programSequence(), span.firstSequence(),
                    span.lastSequence());
        }).toList();
    }

    /**
     * For the campaign's status: where its data is and how much of it is archived. Frames and cell
     * reads are the campaign's own (from the index: a segment shared with another campaign counts
     * in proportion); bytes and files are those of the array's directory, which it may share.
     */
    public static Map<String, Object> archived(CampaignStatus status, ArchiveIndex index) {
        Map<String, Object> perArray = new LinkedHashMap<>();
        long frames = 0;
        long cells = 0;
        long bytes = 0;
        ArchiveExport export = new ArchiveExport(index);
        for (Selection s : selections(status)) {
            ArchiveIndex.Totals t = index.totals(s.arrayId());
            long[] own = export.size(List.of(s));
            perArray.put(s.arrayId(), Map.of("directory", index.layout().arrayDir(s.arrayId()).toString(), "frames", own[0],
                    "cell_reads", own[1] / Float.BYTES, "bytes", t.bytes(), "files", t.files()));
            frames += own[0];
            cells += own[1] / Float.BYTES;
            bytes += t.bytes();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("directory", index.layout().root().toString());
        m.put("frames_archived", frames);
        m.put("frames_taken", (long) status.step() * status.arrays().size());
        m.put("cell_reads_archived", cells);
        m.put("bytes", bytes);
        m.put("arrays", perArray);
        return m;
    }
}
