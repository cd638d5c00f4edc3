package io.switchboard.simulator.loopback;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The server variants a measuring command compares, from its {@code --variant} and {@code --set} options. Every variant
 * runs without the per-connection send limit unless {@code --set} or the variant names it: these commands push one
 * connection (the fan-out's sender, a loopback pair's) at whatever rate the machine takes, far past any client's, to
 * measure the server's paths, not its flood guard.
 */
final class ServerVariants {
    private static final String SENDS_LIMIT = "limits.sends.perSecond";

    private ServerVariants() {}

    /**
     * Each variant's server settings, in order: the send limit off, {@code set} (from --set), then the variant's own.
     * Without any {@code --variant NAME:KEY=VALUE[,...]}, one variant per value of {@code key} in {@code values},
     * named by it.
     */
    static Map<String, Map<String, String>> parse(
            List<String> variants, Map<String, String> set, String key, List<String> values, CommandSpec spec) {
        Map<String, String> base = new LinkedHashMap<>();
        base.put(SENDS_LIMIT, "0");
        base.putAll(set);
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
