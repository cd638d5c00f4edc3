package io.switchboard.simulator.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU time counters from {@code /proc/stat}, for the share a virtual machine's host took (steal): time
 * the guest had work for a CPU and the host ran something else. On a shared host it moves a run's figures without any
 * change to the code measured, so a result that records it can be told from one that had the machine to itself.
 */
public final class HostSteal {
    private static final Path STAT = Path.of("/proc/stat");
    /** In the {@code cpu} line: user, nice, system, idle, iowait, irq, softirq, steal (guest time is within user). */
    private static final int FIELDS = 8;

    private static final int STEAL = 7;

    private HostSteal() {}

    /** The counters of all CPUs now, or null where there is no {@code /proc/stat} to read. */
    public static long[] read() {
        try {
            String[] line = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            if (!line[0].equals("cpu") || line.length <= FIELDS) {
                return null;
            }
            long[] counters = new long[FIELDS];
            for (int i = 0; i < FIELDS; i++) {
                counters[i] = Long.parseLong(line[i + 1]);
            }
            return counters;
        } catch (IOException | RuntimeException notLinux) {
            return null;
        }
    }

    /** Of the CPU time between two {@link #read}s, the host's share, 0 to 1; NaN when either is null or none passed. */
    public static double share(long[] from, long[] to) {
        if (from == null || to == null) {
            return Double.NaN;
        }
        long total = 0;
        for (int i = 0; i < FIELDS; i++) {
            total += to[i] - from[i];
        }
        return total > 0 ? (double) (to[STEAL] - from[STEAL]) / total : Double.NaN;
    }
}
