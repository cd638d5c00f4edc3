package io.switchboard.simulator.run;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.config.Routing;
import java.util.List;
import java.util.Map;

/**
 * {@code efficiency} in {@code summary.json}: each variant's delivered/s as a share of the delivered/s of the run's
 * ceiling variant (the first with {@code router.routing: ceiling}), so that variants measured on different, or
 * differently loaded, machines compare by how close they come to the limit measured beside them. Absent from every
 * summary of a run without a ceiling variant, or whose ceiling delivered nothing.
 */
final class Efficiency {
    static final String KEY = "efficiency";

    private Efficiency() {}

    /** Puts {@link #KEY} into every summary when the run has a ceiling that delivered; returns whether it did. */
    static boolean add(List<Map<String, Object>> summaries) {
        double ceiling = summaries.stream()
                .filter(Efficiency::isCeiling)
                .mapToDouble(Efficiency::deliveredPerSec)
                .findFirst()
                .orElse(0);
        if (!(ceiling > 0)) {
            return false;
        }
        for (Map<String, Object> summary : summaries) {
            summary.put(KEY, Math.round(deliveredPerSec(summary) / ceiling * 1000) / 1000.0);
        }
        return true;
    }

    /** Whether the summary is of a variant that ran ceiling routing. */
    static boolean isCeiling(Map<String, Object> summary) {
        return summary.get("server") instanceof Map<?, ?> server
                && Routing.CEILING
                        .configName()
                        .equalsIgnoreCase(String.valueOf(server.get(RouterContext.ROUTING_PROP)));
    }

    private static double deliveredPerSec(Map<String, Object> summary) {
        return summary.get("throughput") instanceof Map<?, ?> throughput
                        && throughput.get("deliveredPerSec") instanceof Number delivered
                ? delivered.doubleValue()
                : 0;
    }
}
