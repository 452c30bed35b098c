package org.rramlab.app.node;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Pekko Management's endpoint (cluster bootstrap in Kubernetes: /bootstrap/seed-nodes, /cluster/members)
 * on the node's cluster address ({@code PekkoSettings} binds it there, not on every interface). When
 * the node serves HTTPS it serves this endpoint over HTTPS too, with the same key pair, and the
 * bootstrap's probes of the other nodes (which use the scheme of the node's own endpoint) trust that
 * pair's certificates: every node of a cluster runs with the same pair, or pairs one CA signed.
 */
public final class NodeManagement {
    private NodeManagement() {}

    /** Starts the endpoint; {@code keys} null: plain HTTP. Completes with the endpoint's own URI. */
    public static CompletionStage<Uri> start(ActorSystem<?> system, HttpsContext.Keys keys) {
        var classic = Adapter.toClassic(system);
        if (keys == null) {
            return PekkoManagement.get(classic).start();
        }
        // the bootstrap's probes are made with Pekko HTTP's default client context; the node makes no other
        // Pekko HTTP client calls over HTTPS (Kubernetes API discovery brings its own context)
        Http.get(classic).setDefaultClientHttpsContext(keys.peerClient());
        return PekkoManagement.get(classic).start(s -> s.withHttpsConnectionContext(keys.server()));
    }
}
