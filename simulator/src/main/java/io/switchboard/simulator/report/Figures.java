package io.switchboard.simulator.report;

import java.util.Locale;
import java.util.Map;

/** Looks up and formats the figures of a {@code summary.json} map; a missing figure formats as a dash. */
public final class Figures {
    /** What a missing figure shows as. */
    public static final String MISSING = "–";

    private Figures() {}

    /** The value at a dotted path such as {@code latencyMicros.send2deliver.p99}, or null when absent. */
    public static Object at(Map<String, ?> map, String path) {
        Object value = map;
        for (String key : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> m)) {
                return null;
            }
            value = m.get(key);
        }
        return value;
    }

    /** The number at a path, or NaN when absent or not a number. */
    public static double number(Map<String, ?> map, String path) {
        return at(map, path) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The text at a path, or {@link #MISSING}. */
    public static String text(Map<String, ?> map, String path) {
        Object value = at(map, path);
        return value == null ? MISSING : format(value);
    }

    /** Formats a figure: whole numbers with thousands separators, others rounded sensibly, null as a dash. */
    public static String format(Object value) {
        if (value == null) {
            return MISSING;
        }
        if (value instanceof Number n) {
            return format(n.doubleValue());
        }
        return value.toString();
    }

    /** Formats a number as {@link #format(Object)} does. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return MISSING;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.2f", v);
    }

    /** A latency in µs with the unit that reads best: µs, ms or s. */
    public static String micros(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(v / 1e6) + " s";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + " ms";
        }
        return trim(v) + " µs";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.0f" : "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
