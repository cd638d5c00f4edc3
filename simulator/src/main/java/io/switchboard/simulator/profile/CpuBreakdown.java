package io.switchboard.simulator.profile;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a profile's CPU samples went, by component. Each sample's stack is read from its leaf towards its thread, and
 * the first frame that belongs to a component takes the sample, so a helper counts for whoever called it (the JSON
 * codec's string handling for the codec, a ring read inside the shard logic for the router) and a stack that touches
 * no component counts as {@link Component#OTHER}. Which frames belong where is {@link #componentOf}; results/README.md
 * has the same list.
 */
public final class CpuBreakdown {
    /** The components, in the order tables list them; {@code key} names them in {@code summary.json}. */
    public enum Component {
        CODEC("codec", "codec"),
        ROUTER("routerOwner", "router/owner"),
        JOURNAL("journal", "journal"),
        NETTY("netty", "Netty"),
        CLIENTS("virtualClients", "virtual clients"),
        ORACLE("oracle", "oracle"),
        GC("gc", "GC"),
        OTHER("other", "other");

        final String key;
        final String label;

        Component(String key, String label) {
            this.key = key;
            this.label = label;
        }

        /** The component's name in {@code summary.json}. */
        public String key() {
            return key;
        }

        /** The component's name in tables. */
        public String label() {
            return label;
        }
    }

    /** The oracle's classes in the simulator's run package; the rest of that package drives the virtual clients. */
    private static final Set<String> ORACLE_CLASSES = Set.of(
            "io.switchboard.simulator.run.Oracle",
            "io.switchboard.simulator.run.GroupDeliveries",
            "io.switchboard.simulator.run.DeliverySeqs");

    /** Threads that only collect garbage, as HotSpot names them (G1, Parallel, ZGC, Shenandoah). */
    private static final Pattern GC_THREAD = Pattern.compile("\\[(GC Thread|G1 |Z[A-Z]|Shenandoah|Parallel GC).*");

    /** HotSpot's garbage collectors and allocation slow paths, as C++ classes of native frames. */
    private static final Pattern GC_CODE = Pattern.compile("(G1|Z[A-Z]|Shenandoah|PS[A-Z]|ParallelScavenge|Serial"
            + "|DefNew|Tenured|GenCollectedHeap|CollectedHeap|MemAllocator|ObjAllocator|ObjArrayAllocator"
            + "|ThreadLocalAllocBuffer|WorkerThread|ConcurrentGCThread|MarkSweep|Epsilon)\\w*::.*");

    /** The type marks the converter appends to frame names: interpreted, JIT-compiled, inlined, C1, kernel. */
    private static final Pattern TYPE_SUFFIX = Pattern.compile("_\\[[0-9a-z]]$");

    private final long[] samples = new long[Component.values().length];
    private long total;

    private CpuBreakdown() {}

    /** The breakdown of collapsed stacks: lines of {@code frame;frame;...;leaf COUNT}. */
    public static CpuBreakdown of(String collapsed) {
        CpuBreakdown breakdown = new CpuBreakdown();
        for (String line : collapsed.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            long count = Long.parseLong(line.substring(space + 1).trim());
            breakdown.samples[classify(line.substring(0, space).split(";")).ordinal()] += count;
            breakdown.total += count;
        }
        return breakdown;
    }

    /** The component of a stack (outermost frame first): that of its innermost frame that has one. */
    static Component classify(String[] frames) {
        for (int i = frames.length - 1; i >= 0; i--) {
            Component component = componentOf(frames[i]);
            if (component != null) {
                return component;
            }
        }
        return Component.OTHER;
    }

    /**
     * The component a frame belongs to, or null: Java frames by class ({@code io/switchboard/...} and {@code
     * io.switchboard...} alike), native frames of the garbage collectors by C++ class, and a GC thread's name frame.
     */
    static Component componentOf(String frame) {
        String name = TYPE_SUFFIX.matcher(frame).replaceFirst("");
        if (name.startsWith("[")) {
            return GC_THREAD.matcher(name).matches() ? Component.GC : null;
        }
        if (name.contains("::")) {
            return GC_CODE.matcher(name).matches() ? Component.GC : null;
        }
        name = name.replace('/', '.');
        if (name.startsWith("io.switchboard.core.protocol.Json")) {
            return Component.CODEC;
        }
        if (name.startsWith("io.switchboard.core.router.") || name.startsWith("io.switchboard.core.owner.")) {
            return Component.ROUTER;
        }
        if (name.startsWith("io.switchboard.core.journal.") || name.startsWith("net.openhft.")) {
            return Component.JOURNAL;
        }
        if (name.startsWith("io.netty.")) {
            return Component.NETTY;
        }
        int method = name.lastIndexOf('.');
        String type = method < 0 ? name : name.substring(0, method);
        int nested = type.indexOf('$');
        if (ORACLE_CLASSES.contains(nested < 0 ? type : type.substring(0, nested))) {
            return Component.ORACLE;
        }
        if (name.startsWith("io.switchboard.simulator.net.")
                || name.startsWith("io.switchboard.simulator.run.")
                || name.startsWith("io.switchboard.simulator.loopback.")) {
            return Component.CLIENTS;
        }
        return null;
    }

    public long samples() {
        return total;
    }

    /** A component's share of the samples, 0 without samples. */
    public double share(Component component) {
        return total == 0 ? 0 : (double) samples[component.ordinal()] / total;
    }

    /** Every component's share, by {@code summary.json} key, rounded to 3 decimals (a tenth of a percent). */
    public Map<String, Double> shares() {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Component component : Component.values()) {
            shares.put(component.key, Math.round(share(component) * 1000) / 1000.0);
        }
        return shares;
    }

    /** A table of breakdowns side by side, one column per label: each component's share, then the samples. */
    public static void print(List<String> labels, List<CpuBreakdown> breakdowns, PrintStream out) {
        int width = Math.max(9, labels.stream().mapToInt(String::length).max().orElse(0) + 2);
        out.printf("%-16s", "component");
        labels.forEach(label -> out.printf("%" + width + "s", label));
        out.println();
        for (Component component : Component.values()) {
            out.printf("%-16s", component.label);
            breakdowns.forEach(b -> out.printf("%" + (width - 1) + ".1f%%", 100 * b.share(component)));
            out.println();
        }
        out.printf("%-16s", "samples");
        breakdowns.forEach(b -> out.printf("%," + width + "d", b.samples()));
        out.println();
    }
}
