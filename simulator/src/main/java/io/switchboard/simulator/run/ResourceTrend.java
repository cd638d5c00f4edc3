package io.switchboard.simulator.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The heap and the journal over a run's sending (warm-up and measured window), and whether either keeps growing: what
 * a soak asks. Each second a thread of its own reads the heap in use and the journal's bytes. The sending is cut into
 * about {@link #BUCKETS} buckets of whole seconds (a minute each for half an hour); each keeps the heap's lowest
 * reading, which after the collections of a bucket under load is close to what is live, and the journal's last. The
 * growth of each asks whether its floor still rises at the end: the lowest bucket of the sending's last sixth against
 * the lowest of the sixth before it, doubled to a third's worth, in percent of the latter. A line that has levelled off
 * gives about 0% however long it took to fill (a journal fills its retention window, the heap its bounded queues),
 * a leak its rate; and the floor is what a journal's saw comes back to as whole files go, so its teeth do not read as
 * growth while each is no longer than a sixth of the sending (soak.yaml's five-minute files in 30 minutes). Fewer than
 * {@link #MIN_BUCKETS} buckets (a sending under six seconds) cannot tell, and give NaN.
 *
 * <p>The heap is this JVM's: the embedded server's and the virtual clients' together. The number of buckets does not
 * grow with the run, so neither does what this keeps.
 */
final class ResourceTrend {
    static final int BUCKETS = 30;
    static final int MIN_BUCKETS = 6;

    /** The heap in use, in bytes, wherever it is read from. */
    @FunctionalInterface
    interface Heap {
        long usedBytes() throws Exception;

        /** This JVM's: an embedded server's and the virtual clients' together. */
        Heap THIS_JVM =
                () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private final Path journal;
    private final Heap heap;
    private final long sendingSeconds;
    private final long bucketSeconds;
    private final ScheduledExecutorService sampler;
    // Written by the sampler's thread alone; read after stop(), whose termination orders the writes before the reads.
    private final List<long[]> buckets = new ArrayList<>();
    private long second;
    /** Why sampling stopped early; null while it has not. */
    private String failure;

    /** This JVM's heap; samples only when {@link #sample()} is called: {@link #start} schedules it each second. */
    ResourceTrend(Path journal, Duration sending) {
        this(journal, sending, Heap.THIS_JVM);
    }

    ResourceTrend(Path journal, Duration sending, Heap heap) {
        this.journal = journal;
        this.heap = heap;
        this.sendingSeconds = sending.toSeconds();
        this.bucketSeconds = Math.max(1, (sendingSeconds + BUCKETS - 1) / BUCKETS);
        this.sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "switchboard-resource-trend");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts sampling {@code heap} and {@code journal} now, at the workload's start, for {@code sending}; {@code
     * journal} may not exist.
     */
    static ResourceTrend start(Path journal, Duration sending, Heap heap) {
        ResourceTrend trend = new ResourceTrend(journal, sending, heap);
        trend.sampler.scheduleAtFixedRate(trend::sample, 0, 1, TimeUnit.SECONDS);
        return trend;
    }

    /**
     * One second's readings. One that fails ends the sampling, and the growths then say NaN (which no objective
     * holds) with the failure beside them, rather than resting on the buckets before it.
     */
    void sample() {
        if (second >= sendingSeconds || failure != null) {
            sampler.shutdown();
            return;
        }
        try {
            sample(heap.usedBytes(), bytesUnder(journal));
        } catch (Exception e) {
            failure = "at second " + second + ": " + e;
            sampler.shutdown();
        }
    }

    private void sample(long heap, long journalBytes) {
        if (second % bucketSeconds == 0) {
            buckets.add(new long[] {second, heap, journalBytes});
        } else {
            long[] bucket = buckets.get(buckets.size() - 1);
            bucket[1] = Math.min(bucket[1], heap);
            bucket[2] = journalBytes;
        }
        second++;
    }

    /** The bytes of the regular files under {@code dir}; 0 when it does not exist (a journal in memory). */
    static long bytesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(ResourceTrend::sizeOrZero)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException e) {
            // A journal file deleted (rolled out of retention) while it was walked.
            if (e.getCause() instanceof NoSuchFileException) {
                return bytesUnder(dir);
            }
            throw e;
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException deleted) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops sampling and gives summary.json's {@code resources}. */
    Map<String, Object> stop() throws InterruptedException {
        sampler.shutdown();
        if (!sampler.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the resource sampler did not stop in 10 s");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bucketSeconds", bucketSeconds);
        json.put("heapLowBytes", column(1));
        json.put("journalBytes", column(2));
        json.put("heapGrowthPct", failure == null ? growthPct(column(1)) : Double.NaN);
        json.put("journalGrowthPct", failure == null ? growthPct(column(2)) : Double.NaN);
        if (failure != null) {
            json.put("samplingFailed", failure);
        }
        return json;
    }

    /** One line of what {@link #stop()} gave, when the sending was long enough to tell a growth. */
    static void print(Map<String, Object> resources, PrintStream out) {
        if (resources.containsKey("samplingFailed")) {
            out.println("  over the sending: heap and journal sampling failed " + resources.get("samplingFailed")
                    + "; no growth is given");
            return;
        }
        double heap = (Double) resources.get("heapGrowthPct");
        if (!Double.isNaN(heap)) {
            out.printf(
                    Locale.ROOT,
                    "  over the sending: heap (lowest of each %d s) at most %,d MiB, growth %+.1f%%; journal at most %,d"
                            + " MiB, growth %+.1f%% (the floor's rise over the last third)%n",
                    resources.get("bucketSeconds"),
                    max((long[]) resources.get("heapLowBytes")) >> 20,
                    heap,
                    max((long[]) resources.get("journalBytes")) >> 20,
                    (Double) resources.get("journalGrowthPct"));
        }
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private long[] column(int index) {
        return buckets.stream().mapToLong(bucket -> bucket[index]).toArray();
    }

    /**
     * How much the floor of {@code values} rises from their fifth sixth to their last, doubled (a third's worth), in
     * percent of the fifth sixth's floor; NaN with fewer than {@link #MIN_BUCKETS} values.
     */
    static double growthPct(long[] values) {
        int n = values.length;
        if (n < MIN_BUCKETS) {
            return Double.NaN;
        }
        long before = floor(values, 2 * n / 3, 5 * n / 6);
        long last = floor(values, 5 * n / 6, n);
        // From nothing to something is growth past any objective: divided by one byte rather than by zero.
        return 100.0 * 2 * (last - before) / Math.max(before, 1);
    }

    private static long floor(long[] values, int from, int to) {
        return Arrays.stream(values, from, to).min().orElseThrow();
    }
}
