package org.rramlab.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The lab's recent events in a bounded ring, for live monitors that resume where they left off.
 * Ids are contiguous and strictly increasing; the ring keeps at most {@code capacity} events and
 * about {@code maxBytes} of JSON. Over the byte budget it first drops the payload of state events
 * (types in {@link #STATE_TYPES}) that a newer one of the same type supersedes, then the oldest
 * events. Thread-safe: any thread may append, any number of readers follow it.
 */
public final class EventLog {
    /** Types that carry a whole state: only the newest matters to a monitor that starts fresh. */
    public static final Set<String> STATE_TYPES = Set.of("statistics.report");
    /** The synthetic event a stream sends when events it should have sent are no longer held. */
    public static final String GAP = "stream.gap";

    /** What a reader gets: events after its cursor, and whether some it asked for were already gone. */
    public record Batch(List<LabEvent> events, long cursor, long missedFrom, long missedTo) {
        public boolean gap() {
            return missedTo >= missedFrom;
        }
    }

    private final int capacity;
    private final long maxBytes;
    private final Clock clock;
    private final LabEvent[] slots;
    private final long firstId;
    private long oldestId;
    private long nextId;
    private long bytes;
    /** Ids below this were already looked at for superseded state events. */
    private long compactedUpTo;
    private final Map<String, Long> newestOfType = new HashMap<>();
    private final Set<CompletableFuture<Void>> waiters = new HashSet<>();

    public EventLog(int capacity, long maxBytes) {
        this(capacity, maxBytes, Clock.systemUTC());
    }

    public EventLog(int capacity, long maxBytes, Clock clock) {
        if (capacity < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("the event log needs room: capacity " + capacity + ", bytes " + maxBytes);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.slots = new LabEvent[capacity];
        // microseconds since the epoch: a restarted node's ids are above any id of its last run
        Instant now = clock.instant();
        this.firstId = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        this.oldestId = firstId;
        this.nextId = firstId;
        this.compactedUpTo = firstId;
    }

    /** Appends an event; {@code data} is anything the API's JSON mapper can write. */
    public LabEvent append(String type, Object data) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("an event needs a type");
        }
        JsonNode node = Json.mapper().valueToTree(data);
        List<CompletableFuture<Void>> wake;
        LabEvent event;
        synchronized (this) {
            long id = nextId;
            Instant time = clock.instant();
            event = new LabEvent(id, type, time, serialize(id, type, time, node));
            if (nextId - oldestId == capacity) {
                dropOldest();
            }
            slots[slot(id)] = event;
            nextId++;
            bytes += event.json().length();
            newestOfType.put(type, id);
            trimBytes();
            wake = waiters.isEmpty() ? List.of() : new ArrayList<>(waiters);
            waiters.clear();
        }
        wake.forEach(w -> w.complete(null));
        return event;
    }

    /**
     * Up to {@code max} events after {@code afterId}. A cursor below what the ring holds yields the
     * oldest held events and the range that was missed; a cursor above anything this log gave
     * (a clock set back) yields the oldest held events and a gap at that cursor.
     */
    public synchronized Batch after(long afterId, int max) {
        long from = afterId + 1;
        long missedFrom = 0;
        long missedTo = -1;
        if (from < oldestId) {
            missedFrom = from;
            missedTo = oldestId - 1;
            from = oldestId;
        } else if (from > nextId) {
            missedFrom = afterId;
            missedTo = afterId;
            from = oldestId;
        }
        List<LabEvent> out = new ArrayList<>((int) Math.min(max, nextId - from));
        long id = from;
        for (; id < nextId && out.size() < max; id++) {
            LabEvent e = slots[slot(id)];
            if (e != null) {
                out.add(e);
            }
        }
        return new Batch(out, id - 1, missedFrom, missedTo);
    }

    /**
     * What a monitor that starts without a cursor gets: every held event, but of each state type
     * only the newest. The cursor of the batch is the newest id.
     */
    public synchronized Batch snapshot() {
        List<LabEvent> out = new ArrayList<>();
        for (long id = oldestId; id < nextId; id++) {
            LabEvent e = slots[slot(id)];
            if (e != null && (!e.isState() || newestOfType.get(e.type()) == id)) {
                out.add(e);
            }
        }
        return new Batch(out, nextId - 1, 0, -1);
    }

    /**
     * Completes once the log holds an event after {@code afterId} (at once when it already does),
     * or after {@code maxWaitMillis} at the latest, so a waiter whose reader went away is dropped soon.
     */
    public CompletionStage<Void> awaitAfter(long afterId, long maxWaitMillis) {
        CompletableFuture<Void> wait;
        synchronized (this) {
            if (nextId - 1 > afterId) {
                return CompletableFuture.completedFuture(null);
            }
            wait = new CompletableFuture<>();
            waiters.add(wait);
        }
        wait.completeOnTimeout(null, maxWaitMillis, TimeUnit.MILLISECONDS);
        wait.whenComplete((v, e) -> {
            synchronized (this) {
                waiters.remove(wait);
            }
        });
        return wait;
    }

    public synchronized long newestId() {
        return nextId - 1;
    }

    public synchronized long oldestId() {
        return oldestId;
    }

    public synchronized int size() {
        return (int) (nextId - oldestId);
    }

    public synchronized long bytes() {
        return bytes;
    }

    /** The id before the first this log gave: a cursor that means "from the very start of this run". */
    public long startCursor() {
        return firstId - 1;
    }

    private int slot(long id) {
        return (int) Math.floorMod(id, (long) capacity);
    }

    private void dropOldest() {
        LabEvent e = slots[slot(oldestId)];
        if (e != null) {
            bytes -= e.json().length();
            slots[slot(oldestId)] = null;
        }
        oldestId++;
        compactedUpTo = Math.max(compactedUpTo, oldestId);
    }

    private void trimBytes() {
        // superseded states go first: monitors that resume lose nothing they could still use
        while (bytes > maxBytes && compactedUpTo < nextId) {
            long id = compactedUpTo++;
            LabEvent e = slots[slot(id)];
            if (e != null && e.isState() && newestOfType.get(e.type()) != id) {
                bytes -= e.json().length();
                slots[slot(id)] = null;
            }
        }
        while (bytes > maxBytes && nextId - oldestId > 1) {
            dropOldest();
        }
    }

    static String serialize(long id, String type, Instant time, JsonNode data) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("id", id);
        o.put("type", type);
        o.put("time", time.toString());
        o.set("data", data);
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event of type " + type + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** A synthetic event, not held in the log, telling a monitor which events it can no longer get. */
    public static LabEvent gap(long missedFrom, long missedTo, long resumedAt) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("missed_from", missedFrom);
        d.put("missed_to", missedTo);
        d.put("resumed_at", resumedAt);
        d.put("message", "events " + missedFrom + " to " + missedTo
                + " are no longer held by the node (the log is bounded); reload the state over the REST API");
        Instant now = Instant.now();
        return new LabEvent(-1, GAP, now, serialize(-1, GAP, now, d));
    }
}
