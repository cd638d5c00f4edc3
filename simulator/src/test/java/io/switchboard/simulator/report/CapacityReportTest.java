package io.switchboard.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capacity page of variants that ran different rates, from a summary as {@code capacity} writes it. */
class CapacityReportTest {
    private static Map<String, Object> step(int number, int offered, double delivered, long p99, String why) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("step", number);
        step.put("offeredPerSec", offered);
        step.put("deliveredPerSec", delivered);
        step.put("p50Micros", p99 / 2);
        step.put("p99Micros", p99);
        step.put("lost", 0);
        step.put("undeliveredAtEnd", 0);
        step.put("held", why.isEmpty());
        step.put("whyFailed", why);
        return step;
    }

    private static Map<String, Object> variant(String name, Integer capacity, String note, List<Object> steps) {
        Map<String, Object> variant = new LinkedHashMap<>();
        variant.put("variant", name);
        variant.put("capacityPerSec", capacity);
        variant.put("found", capacity != null);
        variant.put("p99MicrosAtCapacity", capacity == null ? null : 30_000);
        variant.put("deliveredPerSecAtCapacity", capacity);
        variant.put("note", note);
        variant.put("steps", steps);
        return variant;
    }

    @Test
    void shouldDrawEveryVariantOverTheRatesItRanAndListEveryStepWithWhyItFailed() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scenario", "routing");
        summary.put("objectives", List.of("p99 < 50ms"));
        summary.put(
                "variants",
                List.of(
                        variant(
                                "sharded",
                                2_000,
                                "",
                                List.of(
                                        step(1, 1_000, 1_000, 2_000, ""),
                                        step(2, 2_000, 2_000, 30_000, ""),
                                        step(3, 4_000, 2_500, 900_000, "p99 < 50ms (measured 900 ms)"))),
                        variant(
                                "<locked>",
                                null,
                                "even the start rate 1,000 msgs/s failed",
                                List.of(step(1, 1_000, 400, 2_000_000, "delivered 400/s, under 90%")))));

        String html = CapacityReport.render(summary);

        assertThat(html)
                .contains("routing: capacity at p99 &lt; 50ms")
                .contains("<td>2,000</td><td>30 ms</td>")
                .contains("\"label\":\"sharded\"")
                .contains("\"label\":\"\\u003clocked\\u003e\"")
                .contains("even the start rate 1,000 msgs/s failed")
                .contains("p99 &lt; 50ms (measured 900 ms)")
                .doesNotContain("<locked>")
                .doesNotContain("NaN");
        assertThat(html.split("<figure class=\"chart\"", -1))
                .as("delivered/s and p99 by offered rate")
                .hasSize(3);
        assertThat(html.split("\"dashed\":", -1))
                .as("two variants and the offered line, then two variants")
                .hasSize(6);
    }
}
