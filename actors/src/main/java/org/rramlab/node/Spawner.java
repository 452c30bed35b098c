package org.rramlab.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** Spawns a top-level actor of a node whose guardian speaks {@link SpawnProtocol}. */
public final class Spawner {
    private Spawner() {}

    public static <T> CompletableFuture<ActorRef<T>> spawn(ActorSystem<SpawnProtocol.Command> system,
                                                           Behavior<T> behavior, String name) {
        CompletionStage<ActorRef<T>> ref = AskPattern.ask(system,
                replyTo -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), replyTo),
                Duration.ofSeconds(5), system.scheduler());
        return ref.toCompletableFuture();
    }
}
