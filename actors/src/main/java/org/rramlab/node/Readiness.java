package org.rramlab.node;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What /ready answers: each part of the node and its state; ready only when all are up. */
public record Readiness(boolean ready, Map<String, Part> parts) {
    public record Part(State state, String detail) {
        /** Written and read as the lower-case word /ready shows: "up", "down", "starting". */
        public enum State {
            UP, DOWN, STARTING;

            @JsonValue
            public String json() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        public static Part up(String detail) {
            return new Part(State.UP, detail);
        }

        public static Part down(String detail) {
            return new Part(State.DOWN, detail);
        }

        public static Part starting(String detail) {
            return new Part(State.STARTING, detail);
        }

        boolean isUp() {
            return state == State.UP;
        }
    }

    /**
     * The states alone, for a caller without a token (a load balancer's probe): the details name
     * paths, hosts and errors that are for the lab's own people.
     */
    public Readiness withoutDetails() {
        Map<String, Part> all = new LinkedHashMap<>();
        parts.forEach((name, part) -> all.put(name, new Part(part.state(), null)));
        return new Readiness(ready, all);
    }

    /** The same with one more part (the archive, say). */
    public Readiness with(String name, Part part) {
        Map<String, Part> all = new LinkedHashMap<>(parts);
        all.put(name, part);
        return new Readiness(all.values().stream().allMatch(Part::isUp), all);
    }

    public static Readiness of(Part broker, Part journal, Part actorSystem) {
        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put("broker", broker);
        parts.put("journal", journal);
        parts.put("actor_system", actorSystem);
        return new Readiness(parts.values().stream().allMatch(Part::isUp), parts);
    }
}
