package org.rramlab.measurement;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.kafka.ProducerMessage;
import org.apache.pekko.kafka.ProducerSettings;
import org.apache.pekko.kafka.javadsl.Producer;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.rramlab.api.Refusal;
import org.rramlab.streaming.ConductanceCodec;
import org.rramlab.streaming.ConductanceRecord;
import org.rramlab.streaming.ReadEncoding;

/**
 * Publishes conductance records to Kafka (topic {@value ConductanceRecord#TOPIC}, key = array id)
 * through an idempotent producer. A {@link Publish} is acknowledged only once Kafka has the
 * record, so callers that wait for the acknowledgement are back-pressured by Kafka itself.
 * Memory is bounded: at most {@code maxPending} records wait here; beyond that a publish is
 * refused with an error (the caller retries later) — never dropped silently. When the producer
 * stream fails (Kafka unreachable past its delivery timeout) it is restarted with backoff; the
 * records it held are not acknowledged and their callers publish them again.
 */
public final class MeasurementActor extends AbstractBehavior<MeasurementActor.Command> {

    /** Node-local: every node has its own, and only that node's actors talk to it (never across nodes). */
    public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    /** Publish one record; the reply comes once Kafka acknowledged it, or an error. */
    public record Publish(ConductanceRecord record, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    public record GetMetrics(ActorRef<MeasurementMetrics> replyTo) implements Command {}

    private record Acked(Pending pending) implements Command {}

    private record StreamEnded(long generation, Throwable failure) implements Command {}

    private enum Tick implements Command { INSTANCE }

    private enum Restart implements Command { INSTANCE }

    private record Pending(ConductanceRecord record, byte[] bytes, ActorRef<StatusReply<Done>> replyTo, long enqueuedNanos) {}

    /**
     * Settings; {@code queueSize} records are handed to the producer stream at once; {@code encoding}
     * is how read frames travel (docs/record-format.md).
     */
    public record Settings(String bootstrapServers, int maxPending, int queueSize, Duration deliveryTimeout,
                           ReadEncoding encoding) {
        public Settings(String bootstrapServers, int maxPending, int queueSize, Duration deliveryTimeout) {
            this(bootstrapServers, maxPending, queueSize, deliveryTimeout, ReadEncoding.LOG16);
        }

        public static Settings defaults(String bootstrapServers) {
            return new Settings(bootstrapServers, 512, 64, Duration.ofSeconds(30));
        }
    }

    private static final long LINGER_MS = 2;

    /**
     * The producer refuses to start when its delivery timeout is below linger plus request timeout:
     * a request may take at most 10 s, and never more than the delivery timeout leaves after the linger.
     */
    static long requestTimeoutMillis(Duration deliveryTimeout) {
        return Math.max(1, Math.min(deliveryTimeout.toMillis() - LINGER_MS, 10_000));
    }

    public static Behavior<Command> create(Settings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new MeasurementActor(ctx, timers, settings)));
    }

    private final TimerScheduler<Command> timers;
    private final Settings settings;
    private final ProducerSettings<String, byte[]> producerSettings;
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private final LatencyWindow latency = new LatencyWindow(10_000);
    private final RateMeter rate = new RateMeter();
    private BoundedSourceQueue<Pending> queue;
    private long generation;
    private int inFlight;
    private long acked;
    private long ackedBytes;
    private long refused;
    private long restarts;
    private String lastError = "";
    private Duration backoff = Duration.ofMillis(200);
    private final org.rramlab.node.DiskSpace disk;

    private MeasurementActor(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings) {
        super(context);
        this.timers = timers;
        this.settings = settings;
        this.disk = org.rramlab.node.DiskSpace.get(context.getSystem());
        this.producerSettings = ProducerSettings.create(context.getSystem(), new StringSerializer(), new ByteArraySerializer())
                .withBootstrapServers(settings.bootstrapServers())
                .withProperties(Map.of(
                        "enable.idempotence", "true",
                        "acks", "all",
                        "linger.ms", Long.toString(LINGER_MS),
                        "batch.size", Integer.toString(1 << 20),
                        "max.request.size", Integer.toString(8 << 20),
                        "buffer.memory", Long.toString(64L << 20),
                        "delivery.timeout.ms", Long.toString(settings.deliveryTimeout().toMillis()),
                        "request.timeout.ms", Long.toString(requestTimeoutMillis(settings.deliveryTimeout())),
                        "enable.metrics.push", "false"));
        startStream();
    }

    private void startStream() {
        long gen = ++generation;
        var ref = getContext().getSelf();
        var pair = Source.<Pending>queue(settings.queueSize())
                .map(p -> ProducerMessage.single(
                        new ProducerRecord<>(ConductanceRecord.TOPIC, p.record().arrayId(), p.bytes()), p))
                .via(Producer.flexiFlow(producerSettings))
                .toMat(Sink.foreach(result -> ref.tell(new Acked(result.passThrough()))), Keep.both())
                .run(getContext().getSystem());
        queue = pair.first();
        getContext().pipeToSelf(pair.second(), (done, failure) -> new StreamEnded(gen, failure));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Publish.class, this::onPublish)
                .onMessage(Acked.class, this::onAcked)
                .onMessageEquals(Tick.INSTANCE, this::drain)
                .onMessage(StreamEnded.class, this::onStreamEnded)
                .onMessageEquals(Restart.INSTANCE, this::onRestart)
                .onMessage(GetMetrics.class, this::onGetMetrics)
                .build();
    }

    private Behavior<Command> onPublish(Publish p) {
        var diskFull = disk.refusal();
        if (diskFull.isPresent()) {
            // a full disk would take Kafka's log offline: the read is kept by its array and published later
            refused++;
            p.replyTo().tell(Refusal.reply(Refusal.Kind.UNAVAILABLE, diskFull.get()));
            return this;
        }
        if (waiting.size() >= settings.maxPending()) {
            refused++;
            p.replyTo().tell(Refusal.reply(Refusal.Kind.UNAVAILABLE, "measurement buffer full (" + settings.maxPending()
                    + " records waiting): Kafka is slow or unreachable; publish again later"));
            return this;
        }
        waiting.addLast(new Pending(p.record(), ConductanceCodec.encode(p.record(), settings.encoding()), p.replyTo(), System.nanoTime()));
        return drain();
    }

    /** Hands waiting records to the producer stream while it takes them. */
    private Behavior<Command> drain() {
        while (!waiting.isEmpty() && queue != null) {
            QueueOfferResult result = queue.offer(waiting.peekFirst());
            if (result == QueueOfferResult.enqueued()) {
                waiting.pollFirst();
                inFlight++;
            } else {
                break;
            }
        }
        if (!waiting.isEmpty() && !timers.isTimerActive(Tick.INSTANCE)) {
            timers.startSingleTimer(Tick.INSTANCE, Tick.INSTANCE, Duration.ofMillis(2));
        }
        return this;
    }

    private Behavior<Command> onAcked(Acked a) {
        inFlight--;
        acked++;
        ackedBytes += a.pending().bytes().length;
        latency.add(System.nanoTime() - a.pending().enqueuedNanos());
        rate.add(System.nanoTime(), a.pending().record().block().cells());
        backoff = Duration.ofMillis(200);
        a.pending().replyTo().tell(StatusReply.ack());
        return drain();
    }

    private Behavior<Command> onStreamEnded(StreamEnded e) {
        if (e.generation() != generation) {
            return this;
        }
        queue = null;
        inFlight = 0;
        restarts++;
        lastError = e.failure() == null ? "producer stream completed" : String.valueOf(e.failure().getMessage());
        getContext().getLog().warn("Kafka producer stopped ({}); restarting in {} ms", lastError, backoff.toMillis());
        timers.startSingleTimer(Restart.INSTANCE, Restart.INSTANCE, backoff);
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
        return this;
    }

    private Behavior<Command> onRestart() {
        startStream();
        return drain();
    }

    private Behavior<Command> onGetMetrics(GetMetrics m) {
        m.replyTo().tell(new MeasurementMetrics(acked, ackedBytes, rate.cellsPerSecond(System.nanoTime()),
                waiting.size(), inFlight, refused, restarts, latency.percentileMillis(50),
                latency.percentileMillis(99), lastError));
        return this;
    }
}
