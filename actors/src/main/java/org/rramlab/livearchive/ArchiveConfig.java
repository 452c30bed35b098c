package org.rramlab.livearchive;

import com.typesafe.config.Config;
import java.time.Duration;
import org.rramlab.archive.ArchiveSettings;
import org.rramlab.archive.CsvImport;

/** rramlab.archive from the configuration (config/rramlab.conf documents each value). */
public record ArchiveConfig(boolean enabled, String groupId, long flushBytes, Duration flushInterval, double alarmFraction,
                            Duration checkInterval, long maxHdf5ExportBytes, double importMaxConductance,
                            int importMaxCells, Duration retention) {
    public static ArchiveConfig from(Config config) {
        Config a = config.getConfig("rramlab.archive");
        return new ArchiveConfig(a.getBoolean("enabled"), a.getString("group-id"), a.getBytes("flush-bytes"),
                a.getDuration("flush-interval"), a.getDouble("alarm-fraction"), a.getDuration("check-interval"),
                a.getBytes("max-hdf5-export-bytes"), a.getDouble("import-max-conductance-siemens"),
                a.getInt("import-max-cells"), config.getDuration("rramlab.statistics.topic-retention"));
    }

    public ArchiveSettings settings(String bootstrapServers) {
        return new ArchiveSettings(bootstrapServers, groupId, flushBytes, flushInterval, retention, alarmFraction,
                maxHdf5ExportBytes);
    }

    public CsvImport.Limits importLimits(int levels) {
        return new CsvImport.Limits(importMaxConductance, levels, importMaxCells);
    }
}
