package io.switchboard.simulator.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the highest offered rate at which a step holds: coarse steps doubling from {@code start} until one fails (or
 * {@code max} holds), then a bisection between the last rate that held and the first that failed, until the failed
 * one is within {@code resolution} of the held one. No rate is run twice. Not thread-safe; one search per instance.
 */
final class CapacitySearch {
    /** Runs one step at a rate (msgs/s) on a fresh server and says whether it held. */
    interface Steps {
        CapacityStep run(int rate) throws Exception;
    }

    /** Hears each step as it finishes, with an estimate of how many are left. */
    interface Listener {
        void stepped(int number, CapacityStep step, int stepsLeft);
    }

    /**
     * Every step in the order run; the highest rate that held (null when even the start failed); whether that was
     * {@code max}, so the capacity may be higher.
     */
    record Result(List<CapacityStep> steps, CapacityStep capacity, boolean heldAtMax) {
        boolean found() {
            return capacity != null && !heldAtMax;
        }
    }

    private final int start;
    private final int max;
    private final double resolution;

    /**
     * @param start the first rate, msgs/s
     * @param max the highest rate tried
     * @param resolution the search stops when the first failed rate is at most {@code resolution} (a fraction) above
     *     the highest that held
     */
    CapacitySearch(int start, int max, double resolution) {
        if (start < 1 || max < start || !(resolution > 0 && resolution < 1)) {
            throw new IllegalArgumentException("need 1 <= start <= max and 0 < resolution < 1");
        }
        this.start = start;
        this.max = max;
        this.resolution = resolution;
    }

    Result search(Steps steps, Listener listener) throws Exception {
        List<CapacityStep> run = new ArrayList<>();
        Set<Integer> tried = new HashSet<>();
        CapacityStep held = null;
        CapacityStep failed = null;
        int rate = start;
        while (failed == null) {
            CapacityStep step = step(steps, rate, tried, run);
            if (step.held()) {
                held = step;
            } else {
                failed = step;
            }
            boolean atMax = rate == max;
            listener.stepped(run.size(), step, failed != null ? bisections(held, failed) : atMax ? 0 : coarseLeft());
            if (held == null) {
                return new Result(run, null, false);
            }
            if (atMax && failed == null) {
                return new Result(run, held, true);
            }
            rate = (int) Math.min(max, 2L * rate);
        }
        while (bisections(held, failed) > 0) {
            int middle = held.offered() + (failed.offered() - held.offered()) / 2;
            CapacityStep step = step(steps, middle, tried, run);
            if (step.held()) {
                held = step;
            } else {
                failed = step;
            }
            listener.stepped(run.size(), step, bisections(held, failed));
        }
        return new Result(run, held, false);
    }

    private static CapacityStep step(Steps steps, int rate, Set<Integer> tried, List<CapacityStep> run)
            throws Exception {
        if (!tried.add(rate)) {
            throw new IllegalStateException("rate " + rate + " was already run");
        }
        CapacityStep step = steps.run(rate);
        run.add(step);
        return step;
    }

    /**
     * Steps the bisection still needs between a held and a failed rate: halvings until the gap is within the
     * resolution, and none once the gap is a single msg/s (no new rate lies between).
     */
    private int bisections(CapacityStep held, CapacityStep failed) {
        if (held == null) {
            return 0;
        }
        double gap = failed.offered() - held.offered();
        int left = 0;
        while (gap > Math.max(1, resolution * held.offered())) {
            gap /= 2;
            left++;
        }
        return left;
    }

    /** A guess while still doubling: one more coarse step, then a bisection over a gap as wide as the last held rate. */
    private int coarseLeft() {
        return 1 + (int) Math.ceil(Math.log(1 / resolution) / Math.log(2));
    }
}
