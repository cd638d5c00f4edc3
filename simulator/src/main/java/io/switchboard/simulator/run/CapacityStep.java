package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Slo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a capacity search: a fresh server offered one rate, what it did, and whether it held. A step holds when
 * every objective holds and the server kept up: deliveries within the measured window at least {@link
 * #MIN_DELIVERED_SHARE} of what the offered rate owed, nothing lost, and the drain finished. A server that acks at the
 * offered rate but cannot deliver it has not held, whatever its latency percentiles of the messages it did deliver.
 *
 * @param offered the offered rate, msgs/s
 * @param deliveredPerSec deliveries made while the window was open, per second
 * @param p50Micros send→deliver p50, µs
 * @param p99Micros send→deliver p99, µs
 * @param whyFailed what did not hold, empty when it held
 * @param figures the step as summary.json gives it
 */
record CapacityStep(
        int offered,
        double deliveredPerSec,
        long p50Micros,
        long p99Micros,
        String whyFailed,
        Map<String, Object> figures) {
    /** The share of the offered rate's deliveries a step must make within its window to hold. */
    static final double MIN_DELIVERED_SHARE = 0.9;

    boolean held() {
        return whyFailed.isEmpty();
    }

    /** A step that measured only what the search needs: for tests of the search. */
    static CapacityStep of(int offered, boolean held) {
        return new CapacityStep(offered, held ? offered : 0, 0, 0, held ? "" : "failed", Map.of());
    }

    /**
     * Judges a run at {@code offered} msgs/s. Deliveries owed per message are the window's messages' deliveries by the
     * end over those of its messages the server accepted (1 for one-to-one to single devices, more with groups or
     * companion devices), and every offered message owes them: a send the server refused (back-pressure, rate limits)
     * is a delivery it did not make, not one it was spared.
     */
    static CapacityStep judge(int offered, RunOutcome outcome, List<Slo> objectives) {
        List<String> failures = new ArrayList<>();
        List<Map<String, Object>> slos = ResultsWriter.slos(objectives, outcome);
        for (int i = 0; i < slos.size(); i++) {
            Map<String, Object> slo = slos.get(i);
            if (!Boolean.TRUE.equals(slo.get("ok"))) {
                double value = (Double) slo.get("value");
                failures.add(slo.get("text") + " (measured "
                        + (objectives.get(i).latency() ? RunCommandFormat.micros(value) : String.format("%,.0f", value))
                        + ")");
            }
        }
        double perMessage = outcome.windowAcked() == 0
                ? 1
                : Math.max(1, outcome.windowDelivered()) / (double) outcome.windowAcked();
        double owedPerSec = offered * perMessage;
        if (outcome.deliveredPerSec() < MIN_DELIVERED_SHARE * owedPerSec) {
            failures.add(String.format(
                    "delivered %,.0f/s, under %.0f%% of the %,.0f/s owed",
                    outcome.deliveredPerSec(), MIN_DELIVERED_SHARE * 100, owedPerSec));
        }
        if (outcome.lost() > 0) {
            failures.add("lost " + outcome.lost());
        }
        if (!outcome.drainSettled()) {
            failures.add("the drain ended at its limit (" + outcome.undeliveredAtEnd() + " undelivered at the end)");
        }
        long p50 = outcome.send2deliver().getValueAtPercentile(50);
        long p99 = outcome.send2deliver().getValueAtPercentile(99);
        String why = String.join("; ", failures);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("offeredPerSec", offered);
        figures.put("sentPerSec", ResultsWriter.round(outcome.sentPerSec()));
        figures.put("deliveredPerSec", ResultsWriter.round(outcome.deliveredPerSec()));
        figures.put("p50Micros", p50);
        figures.put("p99Micros", p99);
        figures.put("lost", outcome.lost());
        figures.put("undeliveredAtEnd", outcome.undeliveredAtEnd());
        figures.put("drainSettled", outcome.drainSettled());
        figures.put("held", why.isEmpty());
        figures.put("whyFailed", why);
        figures.put("slos", slos);
        return new CapacityStep(offered, outcome.deliveredPerSec(), p50, p99, why, figures);
    }
}
