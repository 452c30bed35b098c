package org.rramlab.livestats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabNode;
import org.rramlab.statistics.StatisticsReport;
import org.rramlab.streaming.ConductanceRecord;

/** What the statistics tests share: a node of their own, records through its Kafka, waiting for a report. */
final class StatisticsTests {
    private StatisticsTests() {}

    /** A node with its data in {@code dataDir}, HTTP on a free port, no checkpoint unless asked, and {@code more}. */
    static LabNode node(Path dataDir, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()),
                "rramlab.http.port", "0", "rramlab.statistics.checkpoint-interval", "1h"));
        settings.putAll(more);
        return LabNode.start(LabConfig.load(settings, Map.of()));
    }

    static void publish(LabNode node, ActorRef<MeasurementActor.Command> measurement, ConductanceRecord r)
            throws Exception {
        StatusReply<Done> reply = AskPattern.<MeasurementActor.Command, StatusReply<Done>>ask(measurement,
                to -> new MeasurementActor.Publish(r, to), Duration.ofSeconds(60), node.system().scheduler())
                .toCompletableFuture().get();
        assertTrue(reply.isSuccess(), "Kafka acknowledged " + r.arrayId() + "#" + r.sequence());
    }

    /** Asks for the report of {@code arrayIdOrNull} (null: overall) until {@code done} holds, for 60 s at most. */
    static StatisticsReport awaitReport(LabNode node, ActorRef<StatisticsActor.Command> stats, String arrayIdOrNull,
                                        Predicate<StatisticsReport> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StatisticsReport last = null;
        while (System.nanoTime() < deadline) {
            last = AskPattern.<StatisticsActor.Command, Optional<StatisticsReport>>ask(stats,
                    to -> new StatisticsActor.GetReport(arrayIdOrNull, to), Duration.ofSeconds(10),
                    node.system().scheduler()).toCompletableFuture().get().orElse(null);
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("statistics did not get there in 60 s; last report " + last);
    }
}
