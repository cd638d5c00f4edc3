package io.switchboard.simulator.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server's {@code /metrics} (the Prometheus text format) read into samples: each series (its name with its labels,
 * as the server wrote them) to its value. Comment lines are skipped; a sample's timestamp, when there is one, is
 * dropped.
 */
public final class PrometheusText {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusText() {}

    /** GETs {@code metrics} and parses it. */
    public static Map<String, Double> scrape(URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + metrics + ": " + response.statusCode());
        }
        return parse(response.body());
    }

    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // Label values may hold spaces, so the series ends at the closing brace when there are labels.
            int close = line.lastIndexOf('}');
            int split = line.indexOf(' ', close < 0 ? 0 : close);
            if (split < 0) {
                continue;
            }
            String[] rest = line.substring(split + 1).trim().split(" ");
            samples.put(line.substring(0, split), Double.parseDouble(rest[0]));
        }
        return samples;
    }

    /**
     * The sum of every series of metric {@code name} (a counter's {@code _total} series too) whose labels include
     * {@code label} (such as {@code kind="sent"}); any labels when {@code label} is null.
     */
    public static double sum(Map<String, Double> samples, String name, String label) {
        double sum = 0;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String series = sample.getKey();
            int brace = series.indexOf('{');
            String metric = brace < 0 ? series : series.substring(0, brace);
            if ((metric.equals(name) || metric.equals(name + "_total"))
                    && (label == null || series.contains("{" + label) || series.contains("," + label))) {
                sum += sample.getValue();
            }
        }
        return sum;
    }
}
