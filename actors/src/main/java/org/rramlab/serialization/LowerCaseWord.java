package org.rramlab.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Locale;

/**
 * Writes an enum as its lower-case name ("supervising"), for a record field the API has always
 * shown as a word whose enum is written by its name elsewhere (a journal's snapshots, or a module
 * without Jackson). Reading it back takes {@code @JsonFormat(with = ACCEPT_CASE_INSENSITIVE_VALUES)}.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class LowerCaseWord extends StdSerializer<Enum> {
    public LowerCaseWord() {
        super(Enum.class);
    }

    @Override
    public void serialize(Enum value, JsonGenerator out, SerializerProvider provider) throws IOException {
        out.writeString(value.name().toLowerCase(Locale.ROOT));
    }
}
