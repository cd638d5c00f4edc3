package io.switchboard.core.metrics;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Writes HdrHistogram latencies as Prometheus histograms (text format 0.0.4), appended to Micrometer's scrape. The
 * recorders keep full resolution; the exposition uses fixed buckets from 1 µs to 10 s so that {@code
 * histogram_quantile} and Grafana heatmaps work on them.
 */
final class PrometheusHistograms {
    private static final double[] BUCKETS_SECONDS = {
        1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10
    };

    private PrometheusHistograms() {}

    static void write(StringBuilder out, String name, String help, String routing, List<LatencyRecorder> recorders) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        for (LatencyRecorder recorder : recorders) {
            Histogram histogram = recorder.cumulative();
            String labels = "routing=\"" + routing + "\"," + recorder.ownerTag() + "=\"" + recorder.owner() + "\"";
            for (double bucket : BUCKETS_SECONDS) {
                long upToNanos = (long) (bucket * 1e9);
                long count = histogram.getTotalCount() == 0 ? 0 : histogram.getCountBetweenValues(0, upToNanos);
                out.append(name)
                        .append("_bucket{")
                        .append(labels)
                        .append(",le=\"")
                        .append(format(bucket))
                        .append("\"} ")
                        .append(count)
                        .append('\n');
            }
            long total = histogram.getTotalCount();
            out.append(name)
                    .append("_bucket{")
                    .append(labels)
                    .append(",le=\"+Inf\"} ")
                    .append(total)
                    .append('\n');
            out.append(name)
                    .append("_count{")
                    .append(labels)
                    .append("} ")
                    .append(total)
                    .append('\n');
            out.append(name)
                    .append("_sum{")
                    .append(labels)
                    .append("} ")
                    .append(format(histogram.getMean() * total / 1e9))
                    .append('\n');
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}
