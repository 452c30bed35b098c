package org.rramlab.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
    @TempDir
    Path dir;

    @Test
    void recordsGoThroughTheBrokerAndSurviveARestart() throws Exception {
        Path logDir = dir.resolve("kafka");
        byte[] payload = "frame-1".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0, 0, 2)) {
            assertTrue(Files.exists(logDir.resolve("meta.properties")), "log directory is formatted");
            try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", "true", "acks", "all"),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("rram.test", "array-1", payload)).get();
            }
            assertEquals(List.of(payload.length), lengths(consumeAll(kafka.bootstrapServers(), 1)));
        }
        // the same directory again: no re-format, the record is still there
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0, 0, 2)) {
            List<ConsumerRecord<String, byte[]>> records = consumeAll(kafka.bootstrapServers(), 1);
            assertEquals("array-1", records.get(0).key());
            assertArrayEquals(payload, records.get(0).value());
        }
    }

    private static List<Integer> lengths(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> r.value().length).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> consumeAll(String bootstrap, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                "bootstrap.servers", bootstrap, "group.id", "test-" + System.nanoTime(),
                "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("rram.test"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertEquals(expected, out.size(), "records read back");
        return out;
    }
}
