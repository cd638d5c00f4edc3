package io.switchboard.simulator.loopback;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The server variants a measuring command compares, from its {@code --variant} and {@code --set} options. */
final class ServerVariants {
    private ServerVariants() {}

    /**
     * Each variant's server settings, in order: {@code base} (from --set), then the variant's own. Without any
     * {@code --variant NAME:KEY=VALUE[,...]}, one variant per value of {@code key} in {@code values}, named by it.
     */
    static Map<String, Map<String, String>> parse(
            List<String> variants, Map<String, String> base, String key, List<String> values, CommandSpec spec) {
        Map<String, Map<String, String>> runs = new LinkedHashMap<>();
        if (variants.isEmpty()) {
            for (String value : values) {
                Map<String, String> settings = new LinkedHashMap<>(base);
                settings.put(key, value);
                runs.put(value, settings);
            }
            return runs;
        }
        for (String variant : variants) {
            int colon = variant.indexOf(':');
            if (colon <= 0) {
                throw new ParameterException(
                        spec.commandLine(), "--variant needs NAME:KEY=VALUE[,KEY=VALUE...], got '" + variant + "'");
            }
            Map<String, String> settings = new LinkedHashMap<>(base);
            for (String pair : variant.substring(colon + 1).split(",")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new ParameterException(
                            spec.commandLine(), "--variant setting must be KEY=VALUE, got '" + pair + "'");
                }
                settings.put(
                        pair.substring(0, equals).trim(),
                        pair.substring(equals + 1).trim());
            }
            runs.put(variant.substring(0, colon), settings);
        }
        return runs;
    }
}
