package org.rramlab.serialization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.rramlab.node.LabConfig;

/**
 * Journaled classes as the journal holds them: bytes written by the node's own serializer, and
 * bytes made by hand in an older shape (a map, or today's tree less a field) read back the way a
 * journal replay reads them (serializer id and class name).
 */
public final class JournalBytes implements AutoCloseable {
    private static final CBORMapper CBOR = new CBORMapper();
    private final ActorSystem<Void> system;
    private final Serialization serialization;

    private JournalBytes(String name) {
        var config = ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(LabConfig.load(Map.of(), Map.of())).resolve();
        system = ActorSystem.create(Behaviors.empty(), name, config);
        serialization = SerializationExtension.get(system);
    }

    /** An actor system of one node's serialization settings, named {@code name}. */
    public static JournalBytes start(String name) {
        return new JournalBytes(name);
    }

    /** What the journal holds for {@code o}. */
    public byte[] write(Object o) {
        return serialization.serialize(o).get();
    }

    /** {@code o} as written, as a tree to change into an older shape. */
    public ObjectNode tree(Object o) throws Exception {
        return (ObjectNode) CBOR.readTree(write(o));
    }

    /** Bytes in the journal's format of anything: a map of an older event, or a changed tree. */
    public static byte[] cbor(Object plain) throws Exception {
        return CBOR.writeValueAsBytes(plain);
    }

    /** Reads {@code bytes} as a journal replay does. */
    public <T> T read(byte[] bytes, Class<T> type) throws Exception {
        int id = serialization.serializerFor(type).identifier();
        return type.cast(serialization.deserialize(bytes, id, type.getName()).get());
    }

    /** Reads a tree made by hand (or changed) as a journal replay does. */
    public <T> T read(ObjectNode tree, Class<T> type) throws Exception {
        return read(cbor(tree), type);
    }

    /** {@code fresh} as it reads back from a journal written before {@code field} existed. */
    @SuppressWarnings("unchecked")
    public <T> T without(T fresh, String field) throws Exception {
        ObjectNode tree = tree(fresh);
        if (tree.remove(field) == null) {
            throw new AssertionError(fresh.getClass().getSimpleName() + " does not write \"" + field + "\"");
        }
        return read(tree, (Class<T>) fresh.getClass());
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
