package org.rramlab.learning.area;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs of the area model, each with its value and its source, read from {@code config/area/NAME.conf}
 * (on the classpath). Areas are in F^2. A parameter without a source is refused: a figure nobody can
 * trace is not a figure.
 */
public record AreaParameters(String name, Map<String, Parameter> parameters) {
    /** One number and where it comes from ("estimate: ..." when it is this project's). */
    public record Parameter(double value, String source) {}

    /** Every parameter the model reads; a file must give all of them. */
    public static final List<String> NAMES = List.of("feature-size-nm", "rram-cell-f2", "cells-per-rram-weight",
            "subarray-rows", "subarray-cols", "columns-per-adc", "adc-bits", "adc-f2", "shift-add-f2", "rram-row-f2",
            "rram-column-f2", "sram-cell-f2", "sram-bits", "sram-index-bits", "sram-row-f2", "sram-column-f2",
            "gate-equivalent-f2", "mac-unit-ge", "routing-mux-ge", "column-adder-ge");

    public AreaParameters {
        for (String n : NAMES) {
            Parameter p = parameters.get(n);
            if (p == null || p.source() == null || p.source().isBlank()) {
                throw new IllegalArgumentException("area model " + name + ": parameter " + n
                        + " needs a value and a source; add `" + n + " { value = ..., source = \"...\" }`");
            }
            if (!(p.value() >= 0) || Double.isInfinite(p.value())) {
                throw new IllegalArgumentException("area model " + name + ": " + n + " must be a finite number >= 0, got "
                        + p.value());
            }
        }
        parameters = Map.copyOf(new LinkedHashMap<>(parameters));
    }

    /** The shipped 65 nm parameters ({@code config/area/neurosim-65nm.conf}). */
    public static AreaParameters neurosim65nm() {
        return load("neurosim-65nm");
    }

    public static AreaParameters load(String name) {
        Config c = ConfigFactory.parseResources("area/" + name + ".conf");
        if (c.isEmpty()) {
            throw new IllegalArgumentException("no area model '" + name + "' on the classpath (config/area/" + name
                    + ".conf)");
        }
        return fromConfig(c.resolve());
    }

    public static AreaParameters fromConfig(Config c) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (String n : NAMES) {
            if (c.hasPath(n + ".value")) {
                m.put(n, new Parameter(c.getDouble(n + ".value"), c.hasPath(n + ".source") ? c.getString(n + ".source") : null));
            }
        }
        return new AreaParameters(c.hasPath("name") ? c.getString("name") : "unnamed", m);
    }

    public double value(String n) {
        Parameter p = parameters.get(n);
        if (p == null) {
            throw new IllegalArgumentException("unknown area parameter " + n);
        }
        return p.value();
    }

    public int intValue(String n) {
        return (int) Math.round(value(n));
    }

    /** The same parameters with one value changed (its source says so). */
    public AreaParameters with(String n, double value, String source) {
        Map<String, Parameter> m = new LinkedHashMap<>(parameters);
        m.put(n, new Parameter(value, source));
        return new AreaParameters(name, m);
    }

    /** Values and sources in a fixed order, for JSON. */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : NAMES) {
            Parameter p = parameters.get(n);
            out.put(n, Map.of("value", p.value(), "source", p.source()));
        }
        return out;
    }
}
