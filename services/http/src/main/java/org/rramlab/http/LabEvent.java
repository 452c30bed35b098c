package org.rramlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event of the lab's live log.
 *
 * @param id   strictly increasing, also across restarts of the node (ids start at the start time in
 *             microseconds), so a monitor's Last-Event-ID from before a restart is simply older
 * @param type dotted kind, e.g. {@code statistics.report}, {@code osa.round}
 * @param time when the event was logged
 * @param json the whole event serialized once, {"id","type","time","data"}, sent as is to every monitor;
 *             the log keeps only this text, so its byte budget is what the events really hold
 */
public record LabEvent(long id, String type, Instant time, String json) {

    /** The payload, parsed from the JSON on demand. */
    public JsonNode data() {
        try {
            return Json.mapper().readTree(json).get("data");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("event " + id + " holds invalid JSON", e);
        }
    }

    /** Replay of the type keeps only the newest: it carries a whole state, not a change. */
    public boolean isState() {
        return EventLog.STATE_TYPES.contains(type);
    }
}
