package org.rramlab.app.cli;

import org.rramlab.app.cli.device.DeviceBenchCommand;
import org.rramlab.app.cli.learning.DriftBenchCommand;
import org.rramlab.app.cli.learning.LearningBenchCommand;
import picocli.CommandLine.Command;

/** Benchmarks: each prints its figures, with --json for machines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput and latency; figures go to docs/benchmarks.md.",
        subcommands = {DeviceBenchCommand.class, LearningBenchCommand.class, PipelineBenchCommand.class,
                ArchiveBenchCommand.class, DriftBenchCommand.class, ClusterBenchCommand.class,
                FailoverBenchCommand.class})
public final class BenchCommand {}
