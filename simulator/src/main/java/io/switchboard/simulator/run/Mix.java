package io.switchboard.simulator.run;

/**
 * SplitMix64's finaliser: well-mixed bits from any {@code long}, so a workload can draw a value from (seed, what,
 * when) directly, without a random generator whose sequence would depend on the order of the draws.
 */
final class Mix {
    private Mix() {}

    static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** An exponentially distributed wait of mean {@code mean}, from a uniform {@code u} in [0, 1). */
    static double exponential(double u, double mean) {
        return -Math.log(1 - u) * mean;
    }

    /** A value in [0, 1) from any {@code long}, without allocating. */
    static double unitInterval(long value) {
        return (mix(value) >>> 11) * 0x1.0p-53;
    }
}
