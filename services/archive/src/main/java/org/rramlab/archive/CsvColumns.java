package org.rramlab.archive;

import java.util.List;

/**
 * The long CSV form shared by export and import (docs/data-format.md): one line per cell read,
 * conductance in siemens, array time in seconds, target level an index into the preset's levels
 * (empty when the cell was not programmed to a level), suspect 0 or 1.
 */
public final class CsvColumns {
    public static final List<String> HEADER = List.of("array_id", "sequence", "array_time_s", "row", "col",
            "conductance_s", "target_level", "suspect");
    public static final String HEADER_LINE = String.join(",", HEADER);

    private CsvColumns() {}
}
