package org.rramlab.cli;

import org.rramlab.device.cli.DeviceBenchCommand;
import org.rramlab.learning.cli.DriftBenchCommand;
import org.rramlab.learning.cli.LearningBenchCommand;
import picocli.CommandLine.Command;

/** Benchmarks: each prints its figures, with --json for machines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput and latency; figures go to docs/benchmarks.md.",
        subcommands = {DeviceBenchCommand.class, LearningBenchCommand.class, PipelineBenchCommand.class,
                ArchiveBenchCommand.class, DriftBenchCommand.class, ClusterBenchCommand.class})
public final class BenchCommand {}
