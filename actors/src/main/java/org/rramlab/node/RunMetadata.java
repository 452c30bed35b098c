package org.rramlab.node;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Free-form metadata of a run (a campaign, a deployment, an import): sample, wafer, operator,
 * notes. String keys; string, number or boolean values; bounded so a spec stays small in the
 * journal. The rules live here once, for every kind of run and for the list's search.
 */
public final class RunMetadata {
    public static final int MAX_KEYS = 32;
    public static final int MAX_KEY_CHARS = 64;
    public static final int MAX_VALUE_CHARS = 1024;
    public static final int MAX_TOTAL_BYTES = 8 * 1024;
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    private RunMetadata() {}

    /** Everything wrong with {@code metadata}, each saying what is allowed; empty when it is usable (null is). */
    public static List<String> problems(Map<String, Object> metadata) {
        List<String> out = new ArrayList<>();
        if (metadata == null) {
            return out;
        }
        if (metadata.size() > MAX_KEYS) {
            out.add("metadata: at most " + MAX_KEYS + " keys, got " + metadata.size());
        }
        int bytes = 0;
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key == null || key.length() > MAX_KEY_CHARS || !KEY.matcher(key).matches()) {
                out.add("metadata: key \"" + shorten(key) + "\" is not usable: keys are 1 to " + MAX_KEY_CHARS
                        + " letters, digits, '_', '.' or '-', starting with a letter");
                continue;
            }
            Object v = e.getValue();
            if (v instanceof String s) {
                if (s.length() > MAX_VALUE_CHARS) {
                    out.add("metadata: \"" + key + "\" is " + s.length() + " characters long; at most " + MAX_VALUE_CHARS);
                }
                bytes += s.getBytes(StandardCharsets.UTF_8).length;
            } else if (v instanceof Double d && !Double.isFinite(d)) {
                out.add("metadata: \"" + key + "\" must be a finite number");
            } else if (!(v instanceof Number || v instanceof Boolean)) {
                out.add("metadata: \"" + key + "\" is " + (v == null ? "null" : "an object or a list")
                        + "; values are strings, numbers or booleans (e.g. \"sample\": \"W12\", \"die\": 7, \"baked\": true)");
            }
            bytes += key.length() + 16;
        }
        if (bytes > MAX_TOTAL_BYTES) {
            out.add("metadata: " + bytes + " bytes in all; at most " + MAX_TOTAL_BYTES + " (keep notes short, or link to them)");
        }
        return out;
    }

    /** The metadata with numbers in one canonical form (whole numbers as Long, others as Double), in key order. */
    public static Map<String, Object> normalized(Map<String, Object> metadata) {
        if (metadata == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        metadata.forEach((k, v) -> out.put(k, normalize(v)));
        return out;
    }

    private static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : b.doubleValue();
        }
        if (v instanceof BigDecimal b) {
            return b.doubleValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    /** What is wrong with the search filters of a list (their keys follow the keys' rule); empty when usable. */
    public static List<String> filterProblems(Map<String, String> filters) {
        List<String> out = new ArrayList<>();
        filters.keySet().forEach(key -> {
            if (key.length() > MAX_KEY_CHARS || !KEY.matcher(key).matches()) {
                out.add("search: \"" + shorten(key) + "\" is not a metadata key: keys are 1 to " + MAX_KEY_CHARS
                        + " letters, digits, '_', '.' or '-', starting with a letter (e.g. ?sample=W12&operator=ana)");
            }
        });
        return out;
    }

    /**
     * True when every filter matches: the run's value, written as text, equals the filter's text
     * (numbers compare by value: "7" matches 7 and 7.0; booleans as "true"/"false").
     */
    public static boolean matches(Map<String, Object> metadata, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            Object v = metadata == null ? null : metadata.get(f.getKey());
            if (v == null || !sameValue(v, f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(Object v, String wanted) {
        if (v instanceof Number n) {
            try {
                return Double.parseDouble(wanted) == n.doubleValue();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return String.valueOf(v).equals(wanted);
    }

    private static String shorten(String s) {
        return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
