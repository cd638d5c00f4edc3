package io.switchboard.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Configuration values by dotted key ({@code router.shards}), each remembering where it came from so that an error
 * can say "config.yaml line 4" or "-Dswitchboard.router.shards". Later sources override earlier ones: defaults in
 * the contexts, then a YAML file, then {@code -Dswitchboard.*} system properties, then explicit overrides.
 *
 * <p>Every key must be consumed by a context: {@link #rejectUnused()} names any key that none of them knows, so a
 * typo never silently leaves a default in force.
 */
public final class Settings {
    public static final String SYSTEM_PROPERTY_PREFIX = "switchboard.";

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Set<String> used = new TreeSet<>();

    private record Entry(String value, String source) {}

    public static Settings empty() {
        return new Settings();
    }

    /** Reads a YAML file of nested mappings whose leaves are scalars. */
    public Settings withYaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            LoadSettings settings =
                    LoadSettings.builder().setLabel(file.toString()).build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, reader)));
            Node root = composer.getSingleNode().orElse(null);
            if (root != null) {
                flatten(file.getFileName().toString(), "", root);
            }
            return this;
        } catch (YamlEngineException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    private void flatten(String fileName, String prefix, Node node) {
        String where = fileName + " line "
                + (node.getStartMark().map(m -> m.getLine() + 1).orElse(0));
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new ConfigException(where + ": keys must be plain names");
                }
                flatten(fileName, prefix + key.getValue() + ".", tuple.getValueNode());
            }
        } else if (node instanceof ScalarNode scalar) {
            if (prefix.isEmpty()) {
                throw new ConfigException(where + ": expected a mapping of settings");
            }
            put(prefix.substring(0, prefix.length() - 1), scalar.getValue(), where);
        } else {
            String key = prefix.isEmpty() ? "(top level)" : prefix.substring(0, prefix.length() - 1);
            throw new ConfigException(where + ": '" + key + "' must be a single value or a mapping, not a list");
        }
    }

    /** Takes every {@code switchboard.*} system property, key without the prefix. */
    public Settings withSystemProperties(Properties properties) {
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PROPERTY_PREFIX)) {
                put(name.substring(SYSTEM_PROPERTY_PREFIX.length()), properties.getProperty(name), "-D" + name);
            }
        }
        return this;
    }

    public Settings with(String key, Object value, String source) {
        if (value != null) {
            put(key, String.valueOf(value), source);
        }
        return this;
    }

    private void put(String key, String value, String source) {
        entries.put(key, new Entry(value, source));
    }

    public String string(String key, String defaultValue) {
        Entry entry = take(key);
        return entry == null ? defaultValue : entry.value();
    }

    public int integer(String key, int defaultValue, int min, int max) {
        long value = longValue(key, defaultValue, min, max);
        return (int) value;
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        Entry entry = take(key);
        if (entry == null) {
            return defaultValue;
        }
        long value;
        try {
            value = parseSize(entry.value().trim());
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(key, entry, "expected an integer in " + min + ".." + max);
        }
        if (value < min || value > max) {
            throw invalid(key, entry, "expected an integer in " + min + ".." + max);
        }
        return value;
    }

    /** Accepts plain integers and byte sizes with a binary suffix: 64k, 4m, 1g. */
    private static long parseSize(String text) {
        long multiplier = 1;
        char last = text.isEmpty() ? ' ' : Character.toLowerCase(text.charAt(text.length() - 1));
        switch (last) {
            case 'k' -> multiplier = 1024L;
            case 'm' -> multiplier = 1024L * 1024;
            case 'g' -> multiplier = 1024L * 1024 * 1024;
            default -> {
                return Long.parseLong(text.replace("_", ""));
            }
        }
        return Math.multiplyExact(
                Long.parseLong(text.substring(0, text.length() - 1).trim()), multiplier);
    }

    public boolean bool(String key, boolean defaultValue) {
        Entry entry = take(key);
        if (entry == null) {
            return defaultValue;
        }
        return switch (entry.value().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw invalid(key, entry, "expected true or false");
        };
    }

    public <E extends Enum<E> & Named> E choice(String key, E defaultValue) {
        Entry entry = take(key);
        if (entry == null) {
            return defaultValue;
        }
        StringBuilder names = new StringBuilder();
        for (E candidate : defaultValue.getDeclaringClass().getEnumConstants()) {
            if (candidate.configName().equalsIgnoreCase(entry.value().trim())) {
                return candidate;
            }
            names.append(names.length() == 0 ? "" : "|").append(candidate.configName());
        }
        throw invalid(key, entry, "expected one of " + names);
    }

    private Entry take(String key) {
        used.add(key);
        return entries.get(key);
    }

    /**
     * An error about a value that parsed but cannot be used (a rule between settings, say), naming where it came
     * from; for a key left at its default, says so.
     */
    public ConfigException invalid(String key, String expectation) {
        Entry entry = entries.get(key);
        return entry == null
                ? new ConfigException("'" + key + "' (default): " + expectation)
                : invalid(key, entry, expectation);
    }

    private static ConfigException invalid(String key, Entry entry, String expectation) {
        return new ConfigException(
                "'" + key + "' (" + entry.source() + "): " + expectation + ", got '" + entry.value() + "'");
    }

    /** Fails on any key no context asked for, naming each with its source. */
    public void rejectUnused() {
        StringBuilder unknown = new StringBuilder();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!used.contains(e.getKey())) {
                unknown.append(unknown.length() == 0 ? "" : ", ")
                        .append('\'')
                        .append(e.getKey())
                        .append("' (")
                        .append(e.getValue().source())
                        .append(')');
            }
        }
        if (unknown.length() > 0) {
            throw new ConfigException("unknown setting " + unknown + "; known settings: " + String.join(", ", used));
        }
    }

    /** An enum whose values have a name in configuration files. */
    public interface Named {
        String configName();
    }
}
