package org.rramlab.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's pipeline and its archive (and, in a cluster, other nodes) ensure the conductance topic as the node starts: several callers
 * at once, right after the broker came up, each get the topic's partition count (the one that loses
 * the creation race describes a topic the metadata may not show yet, and asks again).
 */
class TopicsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoCallersAtOnceRightAfterTheStartBothGetThePartitions() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0, 2);
             Admin a = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             Admin b = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             Admin c = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            for (int round = 0; round < 30; round++) {
                String topic = "rram.race-" + round;
                List<CompletableFuture<Integer>> both = new ArrayList<>();
                for (Admin admin : List.of(a, b, c)) {
                    both.add(CompletableFuture.supplyAsync(() -> Topics.ensure(admin, topic, 4, 30)));
                }
                for (CompletableFuture<Integer> f : both) {
                    assertEquals(4, f.get(60, TimeUnit.SECONDS), topic);
                }
            }
        }
    }
}
