package org.rramlab.streaming;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics rramlab writes, when missing, and tells how many partitions they have. */
public final class Topics {
    private static final long RETRY_MILLIS = 100;

    private Topics() {}

    /**
     * @return the topic's partition count (the existing one, if it was there already)
     * @throws IllegalStateException when the broker cannot be reached within the timeout
     */
    public static int ensure(Admin admin, String topic, int partitions, long timeoutSeconds) {
        return ensure(admin, topic, partitions, Map.of(), timeoutSeconds);
    }

    /** The same, with topic settings (such as retention.ms) for a topic created now. */
    public static int ensure(Admin admin, String topic, int partitions, Map<String, String> configs, long timeoutSeconds) {
        return ensure(admin, topic, partitions, (short) 1, configs, timeoutSeconds);
    }

    /**
     * The same with {@code replicas} copies of each partition (a topic that exists keeps its own;
     * set min.insync.replicas in {@code configs} to make acks=all wait for that many).
     */
    public static int ensure(Admin admin, String topic, int partitions, short replicas, Map<String, String> configs,
                             long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (true) {
                try {
                    return createAndDescribe(admin, topic, partitions, replicas, configs, timeoutSeconds);
                } catch (ExecutionException e) {
                    // a broker that has just started, or a topic created a moment ago, may not be in the
                    // metadata yet ("does not host this topic-partition"): that passes, so ask again
                    if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(RETRY_MILLIS);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create or describe Kafka topic " + topic + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                    + "; check that the broker is reachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    private static int createAndDescribe(Admin admin, String topic, int partitions, short replicas,
                                         Map<String, String> configs, long timeoutSeconds)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, replicas).configs(configs)))
                    .all().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        return admin.describeTopics(List.of(topic)).allTopicNames().get(timeoutSeconds, TimeUnit.SECONDS)
                .get(topic).partitions().size();
    }
}
