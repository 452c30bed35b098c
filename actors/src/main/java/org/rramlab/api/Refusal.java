package org.rramlab.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.pattern.StatusReply;
import org.rramlab.serialization.CborSerializable;

/**
 * Why an actor refused a command, by kind, so that callers and the HTTP layer react to the kind
 * and never to words in the message. Actors answer {@code Refusal.reply(kind, message)}; an
 * {@code askWithStatus} then fails with the refusal, and {@link Replies} turns its kind into a status.
 *
 * <p>Between nodes Pekko sends a {@code StatusReply} error with the serializer bound to the
 * exception's class: here Jackson CBOR, which writes only the kind and the message (a
 * Throwable's own fields are closed to reflection, so it is written by hand).
 */
@JsonSerialize(using = Refusal.Writer.class)
@JsonDeserialize(using = Refusal.Reader.class)
public final class Refusal extends RuntimeException implements CborSerializable {
    public enum Kind {
        /** The id names nothing (HTTP 404). */
        NOT_FOUND,
        /** It exists, but its state does not allow this now (HTTP 409). */
        CONFLICT,
        /** The command itself is wrong: fix it and send it again (HTTP 400). */
        BAD_INPUT,
        /** It cannot be done now (a part still starting, a node busy): try again later (HTTP 503). */
        UNAVAILABLE,
        /** The array's instruments do not answer; the command did not complete: send it again later (HTTP 503). */
        LINK_DOWN,
        /** Done and recorded, but Kafka does not have its record yet: send the same command, same tag, again (HTTP 503). */
        NOT_PUBLISHED,
        /** The request is larger than this node takes: split it (HTTP 413). */
        TOO_LARGE;

        /** Not now, but later: the kinds answered with 503. */
        public boolean retryLater() {
            return this == UNAVAILABLE || this == LINK_DOWN || this == NOT_PUBLISHED;
        }
    }

    private final Kind kind;

    public Refusal(Kind kind, String message) {
        // a refusal is an answer, not a fault: no stack trace to fill in or to send
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    /** The answer an actor sends for this refusal. */
    public static <T> StatusReply<T> reply(Kind kind, String message) {
        return StatusReply.error(new Refusal(kind, message));
    }

    /** The kind of refusal a failed ask ended with, through any completion wrappers; null when it was no refusal. */
    public static Kind kindOf(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Refusal r ? r.kind() : null;
    }

    @Override
    public String toString() {
        return kind + ": " + getMessage();
    }

    /** What crosses the wire: {"kind": ..., "message": ...}. */
    private record Wire(Kind kind, String message) {}

    static final class Writer extends StdSerializer<Refusal> {
        Writer() {
            super(Refusal.class);
        }

        @Override
        public void serialize(Refusal r, JsonGenerator out, SerializerProvider provider) throws IOException {
            provider.defaultSerializeValue(new Wire(r.kind(), r.getMessage()), out);
        }
    }

    static final class Reader extends StdDeserializer<Refusal> {
        Reader() {
            super(Refusal.class);
        }

        @Override
        public Refusal deserialize(JsonParser in, DeserializationContext context) throws IOException {
            Wire wire = context.readValue(in, Wire.class);
            return new Refusal(wire.kind(), wire.message());
        }
    }
}
