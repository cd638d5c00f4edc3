package io.switchboard.simulator.profile;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's profile, as {@code summary.json} gives it under {@code profile} (fields in results/README.md).
 *
 * @param profiler what recorded it: "async-profiler 4.2", or "JFR" when async-profiler could not load
 * @param fallback why JFR recorded it; null when async-profiler did
 * @param cpuEvent where the CPU samples come from: {@code cpu}, {@code itimer} or {@code jdk.ExecutionSample}
 * @param allocEvent where the allocation samples come from: {@code alloc} or {@code jdk.ObjectAllocationSample}
 * @param profiledSec seconds from the recording's start to its stop (the measured window, less the time to start)
 * @param recording the JFR file holding both, relative to {@code summary.json}
 * @param cpuFlameGraph the CPU flame graph (HTML), relative to {@code summary.json}
 * @param allocFlameGraph the allocation flame graph (HTML, bytes), relative to {@code summary.json}
 * @param cpu the CPU samples by component
 */
public record Profile(
        String profiler,
        String fallback,
        String cpuEvent,
        String allocEvent,
        double profiledSec,
        String recording,
        String cpuFlameGraph,
        String allocFlameGraph,
        CpuBreakdown cpu) {
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("profiler", profiler);
        if (fallback != null) {
            json.put("fallback", fallback);
        }
        json.put("cpuEvent", cpuEvent);
        json.put("allocEvent", allocEvent);
        json.put("profiledSec", Math.round(profiledSec * 10) / 10.0);
        json.put("recording", recording);
        json.put("cpuFlameGraph", cpuFlameGraph);
        json.put("allocFlameGraph", allocFlameGraph);
        json.put("cpuSamples", cpu.samples());
        json.put("cpuBreakdown", cpu.shares());
        return json;
    }

    /** The CPU breakdowns of a command's runs side by side, under their labels; nothing without profiles. */
    public static void printCpuTable(Map<String, Profile> profiles, PrintStream out) {
        if (profiles.isEmpty()) {
            return;
        }
        Profile first = profiles.values().iterator().next();
        out.println();
        out.println("CPU by component in the measured phase, share of samples (" + first.profiler() + ", "
                + first.cpuEvent() + (first.fallback() == null ? "" : ": Java code only") + "):");
        CpuBreakdown.print(
                List.copyOf(profiles.keySet()),
                profiles.values().stream().map(Profile::cpu).toList(),
                out);
    }
}
