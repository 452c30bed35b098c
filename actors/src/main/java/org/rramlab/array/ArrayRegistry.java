package org.rramlab.array;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.rramlab.node.EntityRegistry;

/**
 * The ids of the arrays registered in the lab (by POST /api/arrays and by deployments), journaled,
 * one per cluster: GET /api/arrays lists them. Arrays start on demand, so nothing is woken.
 */
public final class ArrayRegistry {
    private ArrayRegistry() {}

    /** The cluster's registry (the same reference on every call). */
    public static ActorRef<EntityRegistry.Command> of(ActorSystem<?> system) {
        return ClusterSingleton.get(system).init(SingletonActor.of(EntityRegistry.create("array-registry", id -> { }),
                "array-registry"));
    }

    /** Records an array that was registered (again is nothing). */
    public static void add(ActorSystem<?> system, String arrayId) {
        of(system).tell(new EntityRegistry.Add(arrayId));
    }
}
