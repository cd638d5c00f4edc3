package io.switchboard.simulator.run;

import java.util.Map;

/**
 * What the server did over a run's workload, however it is read: an embedded server's own counters and the shared
 * JVM's collections ({@link RuntimeFigures}), or a server process's {@code /metrics} scraped over HTTP.
 */
interface ServerFigures {
    /** Every server counter: a total as its change over the workload, a level as it stands: {@code serverCounters}. */
    Map<String, Long> counters();

    /** Garbage collections and heap: {@code gc}. */
    Map<String, Object> gc();

    /** The heap and the journal over the sending ({@link ResourceTrend}): {@code resources}; null where not sampled. */
    default Map<String, Object> resources() {
        return null;
    }
}
