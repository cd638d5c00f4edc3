package io.switchboard.simulator.run;

import java.util.Locale;

/** Human formats for the terminal. */
final class RunCommandFormat {
    private RunCommandFormat() {}

    /** Microseconds as µs, ms or s with three significant digits. */
    static String micros(double micros) {
        if (micros < 1000) {
            return String.format(Locale.ROOT, "%.0f µs", micros);
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.3g ms", micros / 1000);
        }
        return String.format(Locale.ROOT, "%.3g s", micros / 1_000_000);
    }
}
