package io.switchboard.simulator.profile;

import io.netty.util.ResourceLeakDetector;
import java.util.Locale;

/**
 * Netty's leak detector in the commands that measure ({@code run}, {@code capacity}, {@code loopback}, {@code fanout}):
 * off unless {@code -Dio.netty.leakDetection.level} chooses a level. At Netty's default level it records a stack trace
 * for one buffer in 128: 1.1-1.2 us of CPU per delivered message in-process and over WebSockets, 3-4% of the process's
 * (results/reference/20261206-leak-detection), a cost of the instrument, not of the system measured. The tests set
 * {@code paranoid}, which this keeps; every result records the level it ran at.
 */
public final class LeakDetection {
    static final String PROPERTY = "io.netty.leakDetection.level";

    private LeakDetection() {}

    /** Applies the level for measuring and returns it, as the results name it. */
    public static String forMeasuring() {
        ResourceLeakDetector.setLevel(levelFor(System.getProperty(PROPERTY)));
        return level();
    }

    /** The level in force, lower case (as {@code -Dio.netty.leakDetection.level} takes it). */
    public static String level() {
        return ResourceLeakDetector.getLevel().name().toLowerCase(Locale.ROOT);
    }

    /** The JVM option that gives a process started for a run (a server, a worker) the level in force here. */
    public static String jvmOption() {
        return "-D" + PROPERTY + "=" + level();
    }

    static ResourceLeakDetector.Level levelFor(String property) {
        if (property == null) {
            return ResourceLeakDetector.Level.DISABLED;
        }
        try {
            return ResourceLeakDetector.Level.valueOf(property.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadLevel(
                    "-D" + PROPERTY + ": expected disabled, simple, advanced or paranoid, got '" + property + "'");
        }
    }

    /** A level Netty does not have: the command line says so and exits 2 (SwitchboardCli), with no stack trace. */
    public static final class BadLevel extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadLevel(String message) {
            super(message);
        }
    }
}
