package org.rramlab.livearchive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rramlab.archive.ArchiveIndex;
import org.rramlab.archive.Selection;
import org.rramlab.campaign.CampaignStatus;

/** Which archived records are a campaign's, and how much of them is archived. */
public final class CampaignData {
    private CampaignData() {}

    /** Every array of the campaign, all its archived records. */
    public static List<Selection> selections(CampaignStatus status) {
        return status.arrays().stream().map(Selection::all).toList();
    }

    /** For the campaign's status: where its data is and how much of it is archived. */
    public static Map<String, Object> archived(CampaignStatus status, ArchiveIndex index) {
        Map<String, Object> perArray = new LinkedHashMap<>();
        long frames = 0;
        long cells = 0;
        long bytes = 0;
        for (String array : status.arrays()) {
            ArchiveIndex.Totals t = index.totals(array);
            perArray.put(array, Map.of("directory", index.layout().arrayDir(array).toString(), "frames", t.frames(),
                    "cell_reads", t.cellReads(), "bytes", t.bytes(), "files", t.files()));
            frames += t.frames();
            cells += t.cellReads();
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
