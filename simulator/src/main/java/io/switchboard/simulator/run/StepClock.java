package io.switchboard.simulator.run;

import java.io.PrintWriter;

/**
 * The capacity search's progress lines: each step's rate, delivered/s, p99 and verdict, and a guess of the time left
 * from the mean step so far, counting the variants still to search as taking as many steps as the one before.
 */
final class StepClock {
    private final long startedNs = System.nanoTime();
    private int variantsLeft;
    private int steps;

    StepClock(int variants) {
        this.variantsLeft = variants;
    }

    void stepped(PrintWriter out, int number, CapacityStep step, int stepsLeft) {
        steps++;
        double meanSec = (System.nanoTime() - startedNs) / 1e9 / steps;
        int later = (variantsLeft - 1) * (number + stepsLeft);
        out.printf(
                "  step %2d  offered %,9d/s  delivered %,9.0f/s  p99 %9s  %-6s  about %d step%s (%s) left%s%n",
                number,
                step.offered(),
                step.deliveredPerSec(),
                RunCommandFormat.micros(step.p99Micros()),
                step.held() ? "held" : "FAILED",
                stepsLeft + later,
                stepsLeft + later == 1 ? "" : "s",
                time(meanSec * (stepsLeft + later)),
                step.held() ? "" : ": " + step.whyFailed());
        out.flush();
    }

    void variantDone() {
        variantsLeft--;
    }

    private static String time(double seconds) {
        return seconds < 90 ? Math.round(seconds) + " s" : Math.round(seconds / 60) + " min";
    }
}
