package org.rramlab.array;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.measurement.MeasurementActor;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabNode;
import org.rramlab.app.node.LivePipeline;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;

/** A real lab node for tests, with a measurement actor and the array shards started on it. */
public final class LabFixture implements AutoCloseable {
    public final LabNode node;
    public final ActorRef<MeasurementActor.Command> measurement;
    public final ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays;
    public final String bootstrap;

    private LabFixture(LabNode node, ActorRef<MeasurementActor.Command> measurement,
                       ActorRef<ShardingEnvelope<ArrayActor.Command>> arrays, String bootstrap) {
        this.node = node;
        this.measurement = measurement;
        this.arrays = arrays;
        this.bootstrap = bootstrap;
    }

    /**
     * @param externalKafka bootstrap servers of a broker the test controls, or null for the node's embedded one
     * @param extra         settings outside rramlab.conf (rramlab.array.*, rramlab.campaign.*)
     */
    public static LabFixture start(Path dataDir, String externalKafka, Map<String, ?> extra,
                                   Duration deliveryTimeout) throws InterruptedException {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "rramlab.data-dir", ConfigUtil.quoteString(dataDir.toString()),
                "rramlab.http.port", "0",
                "rramlab.measurement.delivery-timeout", deliveryTimeout.toMillis() + "ms"));
        if (externalKafka != null) {
            overrides.put("rramlab.kafka.bootstrap-servers", ConfigUtil.quoteString(externalKafka));
        }
        Config config = ConfigFactory.parseMap(extra).withFallback(LabConfig.load(overrides, Map.of())).resolve();
        LabNode node = LabNode.start(config);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!node.readiness().toCompletableFuture().join().ready()) {
            if (System.nanoTime() > deadline) {
                node.close();
                throw new IllegalStateException("the test node did not get ready in 60 s");
            }
            Thread.sleep(100);
        }
        // the node's own live pipeline: the same measurement actor and array shards as `rramlab run`
        LivePipeline pipeline;
        try {
            pipeline = node.pipeline().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            node.close();
            throw new IllegalStateException("the test node's pipeline did not start: " + e.getMessage(), e);
        }
        return new LabFixture(node, pipeline.measurement(), pipeline.arrays(), node.bootstrapServers());
    }

    public <T> T ask(String arrayId, Function<ActorRef<StatusReply<T>>, ArrayActor.Command> command) {
        return AskPattern.<ShardingEnvelope<ArrayActor.Command>, T>askWithStatus(arrays,
                        replyTo -> new ShardingEnvelope<>(arrayId, command.apply(replyTo)), Duration.ofSeconds(60),
                        node.system().scheduler())
                .toCompletableFuture().join();
    }

    /** Every record of the conductance topic for one array, read to the end of each partition. */
    public static List<ConductanceRecord> records(String bootstrap, String arrayId) {
        List<ConductanceRecord> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of("bootstrap.servers", bootstrap,
                "enable.auto.commit", "false", "isolation.level", "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(ConductanceRecord.TOPIC, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the topic to its end in 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(arrayId)) {
                        out.add(ConductanceCodec.decode(r.value()));
                    }
                });
            }
        }
        return out;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
