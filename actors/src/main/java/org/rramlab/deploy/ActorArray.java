package org.rramlab.deploy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.array.ArrayActor;
import org.rramlab.device.ArrayHealth;
import org.rramlab.device.Block;
import org.rramlab.device.DeviceException;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.ProgramResult;
import org.rramlab.device.RramArray;

/**
 * An array behind its {@link ArrayActor}, seen as the learning engine's {@link RramArray}: what a
 * deployment programs and reads goes through the actor, so it is journaled and on Kafka like any
 * other operation. Programming carries a tag per block, so a programming tried again after a
 * crash answers the earlier one instead of programming the cells a second time.
 */
final class ActorArray implements RramArray {
    private final ActorSystem<?> system;
    private final ActorRef<ShardingEnvelope<ArrayActor.Command>> region;
    private final String id;
    private final String tagPrefix;
    private final Duration timeout;
    /** The array clock of the last frame read, for the record of a check. */
    private volatile double lastArrayTimeSeconds;

    ActorArray(ActorSystem<?> system, ActorRef<ShardingEnvelope<ArrayActor.Command>> region, String id,
               String tagPrefix, Duration timeout) {
        this.system = system;
        this.region = region;
        this.id = id;
        this.tagPrefix = tagPrefix;
        this.timeout = timeout;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int rows() {
        throw new UnsupportedOperationException("ask the array actor for its shape");
    }

    @Override
    public int cols() {
        throw new UnsupportedOperationException("ask the array actor for its shape");
    }

    @Override
    public CompletionStage<ProgramResult> program(ProgramRequest request) {
        Block b = request.block();
        String tag = tagPrefix + ":" + b.row0() + ":" + b.col0() + ":" + b.rows() + "x" + b.cols();
        return this.<ArrayActor.ProgramDone>ask(reply -> new ArrayActor.Program(b, request.levels(),
                        request.targetSiemens(), request.writeVerify(), tag, reply))
                .thenApply(done -> new ProgramResult(b, done.pulses(), done.seconds(), done.cellsOutOfTolerance()));
    }

    /**
     * Programs single cells (row * cols + col, ascending) of an array {@code cols} wide to their
     * targets with write-verify, in one programming tagged {@code tag}: a repeat answers the first.
     */
    CompletionStage<ArrayActor.ProgramDone> programCells(int cols, int[] cells, float[] targets, String tag) {
        return ask(reply -> ArrayActor.Program.cells(cols, cells, targets, tag, reply));
    }

    @Override
    public CompletionStage<Frame> read(Block block) {
        return this.<ArrayActor.ReadDone>ask(reply -> new ArrayActor.Read(block, null, reply)).thenApply(done -> {
            if (done.frame() == null) {
                throw new DeviceException("array '" + id + "' answered a read without its frame");
            }
            lastArrayTimeSeconds = done.frame().arrayTimeSeconds();
            return done.frame();
        });
    }

    double lastArrayTimeSeconds() {
        return lastArrayTimeSeconds;
    }

    @Override
    public CompletionStage<Void> advanceClock(double seconds) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("a deployment never moves the clock"));
    }

    @Override
    public CompletionStage<Void> setTemperature(double kelvin) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("a deployment never bakes"));
    }

    @Override
    public CompletionStage<ArrayHealth> health() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("ask the array actor for its health"));
    }

    @Override
    public void close() {
        // the actor owns the connection
    }

    private <T> CompletionStage<T> ask(java.util.function.Function<ActorRef<StatusReply<T>>, ArrayActor.Command> command) {
        return AskPattern.askWithStatus(region, reply -> new ShardingEnvelope<>(id, command.apply(reply)), timeout,
                system.scheduler());
    }
}
