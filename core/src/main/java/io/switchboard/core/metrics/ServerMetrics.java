package io.switchboard.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The server's metrics: Agrona counters that the hot path increments, latency recorders, and a Micrometer Prometheus
 * registry that reads them only when scraped, so no message ever calls Micrometer. One instance per server, passed to
 * whoever needs it (never a global).
 *
 * <p>Names are made by {@link #name} only: {@code switchboard.<dotted name>}, which Prometheus shows as {@code
 * switchboard_<name>} (with {@code _total} for totals). Every series carries the {@code routing} variant and its
 * owner ({@code shard} or {@code loop}).
 */
public final class ServerMetrics implements AutoCloseable {
    public static final String PREFIX = "switchboard.";
    public static final String ROUTING_TAG = "routing";
    public static final String SHARD_TAG = "shard";
    public static final String LOOP_TAG = "loop";
    public static final String MEDIA_STORE_TAG = "store";
    private static final int MAX_COUNTERS = 4096;

    private final boolean enabled;
    private final String routing;
    private final CountersManager counters = newCountersManager(MAX_COUNTERS);
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final List<LatencyRecorder> commandLatency = new CopyOnWriteArrayList<>();
    private final List<CounterSet<ShardCounter>> shardSets = new CopyOnWriteArrayList<>();
    private final List<CounterSet<LoopCounter>> loopSets = new CopyOnWriteArrayList<>();
    private final List<CounterSet<MediaCounter>> mediaSets = new CopyOnWriteArrayList<>();

    public ServerMetrics(boolean enabled, String routing) {
        this.enabled = enabled;
        this.routing = routing;
        if (enabled) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.config().commonTags(ROUTING_TAG, routing);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            exportRefusals();
        } else {
            registry = null;
            gc = null;
        }
    }

    static CountersManager newCountersManager(int capacity) {
        UnsafeBuffer metadata = new UnsafeBuffer(
                BufferUtil.allocateDirectAligned(capacity * CountersReader.METADATA_LENGTH, BitUtil.CACHE_LINE_LENGTH));
        UnsafeBuffer values = new UnsafeBuffer(
                BufferUtil.allocateDirectAligned(capacity * CountersReader.COUNTER_LENGTH, BitUtil.CACHE_LINE_LENGTH));
        return new CountersManager(metadata, values);
    }

    /** The one place metric names are made. */
    public static String name(String dotted) {
        return PREFIX + dotted;
    }

    /** False when {@code metrics.enabled} is off: no registry, no scrape, no latency recording on the hot path. */
    public boolean enabled() {
        return enabled;
    }

    public String routing() {
        return routing;
    }

    /** New counters for one owner of user state; export them with {@link #exportShardCounters}. */
    public synchronized CounterSet<ShardCounter> newShardCounters(String owner) {
        CounterSet<ShardCounter> set = new CounterSet<>(counters, owner, ShardCounter.class);
        shardSets.add(set);
        return set;
    }

    /**
     * Exports counter sets as one series per counter tagged {@code shard=owner}, summing the sets: one set per shard,
     * or all of locked routing's lock stripes under one name.
     */
    public void exportShardCounters(String owner, List<CounterSet<ShardCounter>> sets) {
        export(
                SHARD_TAG,
                owner,
                ShardCounter.values(),
                counter -> sets.stream().mapToLong(set -> set.get(counter)).sum());
    }

    /** New counters for one I/O loop, exported with {@code loop=owner}. */
    public synchronized CounterSet<LoopCounter> newLoopCounters(String owner) {
        CounterSet<LoopCounter> set = new CounterSet<>(counters, owner, LoopCounter.class);
        loopSets.add(set);
        export(LOOP_TAG, owner, LoopCounter.values(), set::get);
        return set;
    }

    /** The media service's counters, exported with {@code store=<fs|s3>}. */
    public synchronized CounterSet<MediaCounter> newMediaCounters(String store) {
        CounterSet<MediaCounter> set = new CounterSet<>(counters, "media", MediaCounter.class);
        mediaSets.add(set);
        export(MEDIA_STORE_TAG, store, MediaCounter.values(), set::get);
        return set;
    }

    private <E extends Enum<E> & CounterDescriptor> void export(
            String ownerTag, String owner, E[] constants, ToLongFunction<E> value) {
        if (registry == null) {
            return;
        }
        Tags tags = Tags.of(ownerTag, owner);
        for (E constant : constants) {
            CounterSpec spec = constant.spec();
            if (spec.kindTag() != null) {
                continue; // summed over every owner by exportRefusals: one series per kind
            }
            if (spec.kind() == CounterKind.TOTAL) {
                FunctionCounter.builder(name(spec.metricName()), constant, value::applyAsLong)
                        .description(spec.description())
                        .tags(tags)
                        .register(registry);
            } else {
                Gauge.builder(name(spec.metricName()), constant, value::applyAsLong)
                        .description(spec.description())
                        .tags(tags)
                        .register(registry);
            }
        }
    }

    /**
     * {@code limits.refused}, {@code journal.writes.refused} and {@code media.uploads.refused} by {@code kind} only: most limits live on I/O loops, one
     * on groups' owners, and what an operator asks is which limit clients hit (which records the disk refused), not
     * which thread refused them.
     */
    private void exportRefusals() {
        for (LoopCounter counter : LoopCounter.values()) {
            exportRefusals(counter.spec(), metrics -> metrics.total(counter));
        }
        for (ShardCounter counter : ShardCounter.values()) {
            exportRefusals(counter.spec(), metrics -> metrics.total(counter));
        }
        for (MediaCounter counter : MediaCounter.values()) {
            exportRefusals(counter.spec(), metrics -> metrics.total(counter));
        }
    }

    private void exportRefusals(CounterSpec spec, ToLongFunction<ServerMetrics> total) {
        if (spec.kindTag() != null) {
            FunctionCounter.builder(name(spec.metricName()), this, total::applyAsLong)
                    .description(spec.description())
                    .tags(CounterSpec.KIND_TAG, spec.kindTag())
                    .register(registry);
        }
    }

    /** A recorder of command latency (frame decoded → command applied) for one owner. */
    public LatencyRecorder newCommandLatency(String ownerTag, String owner) {
        LatencyRecorder recorder = new LatencyRecorder(ownerTag, owner);
        commandLatency.add(recorder);
        return recorder;
    }

    /**
     * Where other components register their meters (push): the Prometheus registry, or, with metrics off, one that
     * keeps nothing.
     */
    public MeterRegistry registry() {
        return registry != null ? registry : new CompositeMeterRegistry();
    }

    /** A level read at scrape time, such as a ring's occupancy. */
    public void gauge(String dottedName, String description, Tags tags, Supplier<Number> value) {
        if (registry != null) {
            Gauge.builder(name(dottedName), value)
                    .description(description)
                    .tags(tags)
                    .register(registry);
        }
    }

    /** The Prometheus text exposition of everything; empty when metrics are disabled. */
    public String scrape() {
        if (registry == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(registry.scrape());
        PrometheusHistograms.write(
                out,
                "switchboard_command_seconds",
                "time from a frame decoded on an I/O thread to its command applied to the owner's state",
                routing,
                commandLatency);
        return out.toString();
    }

    /** Sum of one shard counter over every owner. */
    public long total(ShardCounter counter) {
        return shardSets.stream().mapToLong(set -> set.get(counter)).sum();
    }

    /** Sum of one loop counter over every loop. */
    public long total(LoopCounter counter) {
        return loopSets.stream().mapToLong(set -> set.get(counter)).sum();
    }

    /** Sum of one media counter (one set per server). */
    public long total(MediaCounter counter) {
        return mediaSets.stream().mapToLong(set -> set.get(counter)).sum();
    }

    List<LatencyRecorder> commandLatency() {
        return commandLatency;
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        if (registry != null) {
            registry.close();
        }
    }
}
