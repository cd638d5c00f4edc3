package io.switchboard.simulator.scenario;

import static io.switchboard.simulator.scenario.ScenarioFile.isSection;
import static io.switchboard.simulator.scenario.ScenarioFile.names;
import static java.util.stream.Collectors.joining;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.config.RouterContext;
import io.switchboard.simulator.scenario.Scenario.Transport;
import io.switchboard.simulator.scenario.ScenarioFile.SizeRange;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Reads a scenario file (docs/scenarios.md) into a validated {@link Scenario}, applying {@code --set} overrides.
 *
 * <p>The libraries do the reading: {@link YamlTree} parses the YAML with Jackson keeping each value's line, {@code
 * --set} values are written into that tree, and {@link ScenarioBinder} binds it to {@link ScenarioFile} with Jackson
 * and checks it with Bean Validation. What stays here is what no annotation says: the question (a comment, which YAML
 * parsers drop), bounds that depend on another field, server settings written nested or dotted, and variant names
 * unique within the file. Any problem is a {@link ScenarioException} naming the file, the line (or {@code --set}) and
 * the field.
 */
public final class ScenarioLoader {
    /** Two sockets per device live in one process (client and server side); the open-files limit is 20,000. */
    public static final int MAX_WEBSOCKET_DEVICES = 9_000;

    /**
     * Devices one load process holds against a server in another process (server.mode process, {@code --target}): one
     * socket each, under the 20,000 open files with room for the JVM's own (jars, epoll, the HTTP client).
     */
    public static final int MAX_CLIENT_DEVICES = 18_000;

    /** SLO quantities measured as latencies (thresholds take us, ms or s); every other quantity is a plain number. */
    static final Set<String> LATENCY_QUANTITIES = Slo.LATENCY_QUANTITIES;

    private static final Pattern OPENING_COMMENT = Pattern.compile("(?:[ \\t]*\\R)*((?:[ \\t]*#.*(?:\\R|$))+)");
    private static final Pattern QUESTION_PREFIX = Pattern.compile("^(?i)question\\s*:");
    /** How {@code --set} names a variant's server setting: {@code variants.<name>.server.<key>}. */
    private static final String VARIANTS = "variants.";

    private static final String SERVER_IN_VARIANT = ".server.";

    private ScenarioLoader() {}

    /** Loads a scenario file as written. */
    public static Scenario load(Path file) {
        return load(file, Map.of());
    }

    /**
     * Loads a scenario file, then applies {@code overrides}: dotted paths over the same fields ({@code
     * messages.rate=500}, {@code duration=10s}, {@code server.router.shards=1}), as given to {@code run --set}.
     *
     * @throws ScenarioException naming the file, the line or {@code --set}, and the field
     */
    public static Scenario load(Path file, Map<String, String> overrides) {
        return load(file, overrides, false);
    }

    /**
     * As {@link #load(Path, Map)}, for a run against a server its user started ({@code run --target}) when {@code
     * target}: refuses what cannot apply to such a server (its settings, faults on its process, variants).
     */
    public static Scenario load(Path file, Map<String, String> overrides, boolean target) {
        return load(file, overrides, target, 1);
    }

    /**
     * As {@link #load(Path, Map, boolean)}, for a run whose devices {@code loadProcesses} processes hold ({@code run
     * --workers}): a server in another process may have {@link #MAX_CLIENT_DEVICES} devices per load process.
     */
    public static Scenario load(Path file, Map<String, String> overrides, boolean target, int loadProcesses) {
        return load(file, overrides, target, loadProcesses, List.of());
    }

    /**
     * As {@link #load(Path, Map, boolean, int)}, keeping of the scenario's variants those named in {@code only} (every
     * one when empty; {@code run} and {@code capacity --variant}), in the file's order: a variant the run will not run
     * is not checked against the rest of the scenario either (the websocket transport's device limit, the ceiling's
     * rules), so that choosing one variant is not refused for another.
     *
     * @throws ScenarioException also when {@code only} names a variant the scenario does not have
     */
    public static Scenario load(
            Path file, Map<String, String> overrides, boolean target, int loadProcesses, Collection<String> only) {
        String text;
        try {
            text = Files.readString(file).replaceFirst("^\uFEFF", "");
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file, "no such file");
        } catch (CharacterCodingException e) {
            throw new ScenarioException(file, "cannot read: not UTF-8 text");
        } catch (IOException e) {
            throw new ScenarioException(file, "cannot read: " + e);
        }
        String question = question(file, text);
        YamlTree tree = YamlTree.read(file, text);
        ServerOverrides serverOverrides = set(file, tree, overrides);
        ScenarioFile spec = ScenarioBinder.bind(tree);
        check(spec, tree);
        List<String> allVariants = variantNames(spec);
        int[] fileIndex = select(file, spec, only);
        // select left only the variants of this run.
        serverOverrides.checkVariants(file, allVariants, variantNames(spec));

        Map<String, String> server =
                new LinkedHashMap<>(settings(tree, spec.server, "server", serverOverrides.scenario()));
        Scenario.ServerMode mode = ServerModes.take(tree, server);
        if (target) {
            mode = ServerModes.target(tree, spec, server);
        }
        checkDevices(spec, tree, mode, loadProcesses);
        List<Scenario.Variant> variants = new ArrayList<>();
        for (ScenarioFile.Variant variant : spec.variants) {
            String path = "variants[" + fileIndex[variants.size()] + "].server";
            Map<String, String> settings = settings(tree, variant.server, path, serverOverrides.of(variant.name));
            ServerModes.refuseIn(tree, path, settings);
            if (target) {
                ServerModes.refuseOnTarget(tree, path, settings);
            }
            if (mode != Scenario.ServerMode.EMBEDDED
                    && variant.transport != null
                    && variant.transport != Transport.WEBSOCKET) {
                throw tree.fail(
                        "variants[" + fileIndex[variants.size()] + "].transport",
                        "a server in another process is reached over websocket only");
            }
            variants.add(
                    new Scenario.Variant(variant.name, settings, variant.encryption, variant.codec, variant.transport));
        }
        serverOverrides.refuseShadowed(file, variants);
        if (variants.isEmpty() && spec.transport == Transport.DIRECT) {
            directNeedsSharded(tree, "server", server);
        }
        for (int i = 0; i < variants.size(); i++) {
            Scenario.Variant variant = variants.get(i);
            if ((variant.transport() == null ? spec.transport : variant.transport()) == Transport.DIRECT) {
                boolean own = variant.server().containsKey(RouterContext.ROUTING_PROP);
                directNeedsSharded(
                        tree,
                        own ? "variants[" + fileIndex[i] + "].server" : "server",
                        own ? variant.server() : server);
            }
        }
        CeilingChecks.check(tree, spec, mode, server, variants, fileIndex);
        List<Scenario.Fault> faults = ServerModes.faults(tree, spec, mode);
        List<Slo> slos = new ArrayList<>();
        for (String objective : spec.slo) {
            Slo slo;
            try {
                slo = Slo.parse(objective);
            } catch (IllegalArgumentException e) {
                throw tree.fail("slo[" + slos.size() + "]", e.getMessage());
            }
            if (mode == Scenario.ServerMode.TARGET && Slo.RESOURCE_QUANTITIES.contains(slo.quantity())) {
                throw tree.fail(
                        "slo[" + slos.size() + "]",
                        slo.quantity() + " samples the server's heap and journal directory, which a run reads only"
                                + " of a server it started: use server.mode process (or embedded) without --target");
            }
            slos.add(slo);
        }
        ScenarioFile.Messages messages = spec.messages;
        SizeRange groupSize = groupSize(spec);
        return new Scenario(
                file,
                spec.name == null ? nameOf(file) : spec.name,
                question,
                spec.seed,
                spec.users,
                spec.devicesPerUser,
                spec.transport,
                spec.encryption,
                spec.codec,
                spec.sessions,
                spec.duration,
                spec.warmup,
                spec.drain,
                new Scenario.Messages(
                        messages.rate,
                        (int) messages.bodyBytes.min(),
                        (int) messages.bodyBytes.max(),
                        messages.readShare,
                        messages.readDelay,
                        messages.groupShare,
                        messages.typingShare,
                        messages.mediaShare,
                        (int) messages.mediaBytes.min(),
                        (int) messages.mediaBytes.max()),
                new Scenario.Curve(spec.curve.rampUp, spec.curve.diurnalAmplitude, spec.curve.diurnalPeriod),
                new Scenario.Groups(
                        spec.groups.count, (int) groupSize.min(), (int) groupSize.max(), spec.groups.changesPerSecond),
                new Scenario.Contacts(spec.contacts.perUser, spec.contacts.exponent),
                new Scenario.Presence(spec.presence.subscriptionsPerUser),
                new Scenario.Churn(spec.churn.online, spec.churn.sessionLength),
                mode,
                new Scenario.Devices(
                        spec.devices.background,
                        spec.devices.idleAfter,
                        spec.devices.wakeDelay,
                        spec.devices.wakeDelayP95),
                java.util.Collections.unmodifiableMap(server),
                List.copyOf(variants),
                List.copyOf(slos),
                faults);
    }

    /**
     * Keeps in {@code spec} the variants named in {@code only} (all when empty or when the scenario has none, whose
     * callers say so themselves); returns each kept variant's index in the file, which errors name lines by.
     */
    private static int[] select(Path file, ScenarioFile spec, Collection<String> only) {
        List<String> names = variantNames(spec);
        if (only.isEmpty() || names.isEmpty()) {
            return IntStream.range(0, names.size()).toArray();
        }
        for (String name : only) {
            if (!names.contains(name)) {
                throw new ScenarioException(
                        file, "--variant " + name + ": the scenario has the variants " + String.join(", ", names));
            }
        }
        int[] kept = IntStream.range(0, names.size())
                .filter(i -> only.contains(names.get(i)))
                .toArray();
        spec.variants = Arrays.stream(kept).mapToObj(spec.variants::get).toList();
        return kept;
    }

    private static List<String> variantNames(ScenarioFile spec) {
        return spec.variants.stream().map(variant -> variant.name).toList();
    }

    /** The opening comment lines, '#' and an optional "Question:" stripped, joined with spaces. */
    private static String question(Path file, String text) {
        Matcher opening = OPENING_COMMENT.matcher(text);
        String question = !opening.lookingAt()
                ? ""
                : opening.group(1)
                        .lines()
                        .map(line -> line.strip().replaceFirst("^#+", "").strip())
                        .filter(line -> !line.isEmpty())
                        .collect(joining(" "));
        question = QUESTION_PREFIX.matcher(question).replaceFirst("").strip();
        if (question.isEmpty()) {
            throw new ScenarioException(
                    file,
                    1,
                    "question",
                    false,
                    "missing: a scenario opens with a comment stating the question it answers, e.g. "
                            + "'# Question: how does p99 change from 1k to 10k msgs/s?'");
        }
        return question;
    }

    private static String nameOf(Path file) {
        String stem = String.valueOf(file.getFileName()).replaceFirst("\\.(yaml|yml)$", "");
        if (!stem.matches(ScenarioFile.NAME)) {
            throw new ScenarioException(
                    file,
                    0,
                    "name",
                    false,
                    "the file name gives the name '" + stem + "', which is not " + ScenarioFile.NAME_TEXT
                            + "; add a 'name:' field");
        }
        return stem;
    }

    /**
     * The open-files cap on websocket devices: both ends of each device's connection in one process with the embedded
     * server; the clients' end only, in each load process, with a server in another. Clients behind the network proxy
     * (network, partition and slowReaders faults) hold three sockets each in the load process.
     */
    private static void checkDevices(ScenarioFile spec, YamlTree tree, Scenario.ServerMode mode, int loadProcesses) {
        boolean websocket = spec.variants.isEmpty()
                ? spec.transport == Transport.WEBSOCKET
                : spec.variants.stream()
                        .anyMatch(variant -> (variant.transport == null ? spec.transport : variant.transport)
                                == Transport.WEBSOCKET);
        if (!websocket) {
            return;
        }
        long devices = (long) spec.users * spec.devicesPerUser;
        String field = spec.devicesPerUser > 1 ? "devicesPerUser" : "users";
        if (mode == Scenario.ServerMode.EMBEDDED && devices > MAX_WEBSOCKET_DEVICES) {
            throw tree.fail(
                    field,
                    String.format(
                            "websocket transport holds at most %,d devices in one process (two sockets each, 20,000"
                                    + " open files), got %,d users × %d devices each; use transport: in-process",
                            MAX_WEBSOCKET_DEVICES, spec.users, spec.devicesPerUser));
        }
        boolean proxied = spec.faults.stream()
                .anyMatch(fault -> fault.kind == Scenario.FaultKind.NETWORK
                        || fault.kind == Scenario.FaultKind.PARTITION
                        || fault.kind == Scenario.FaultKind.SLOW_READERS);
        long perProcess = MAX_CLIENT_DEVICES / (proxied ? 3 : 1);
        if (mode != Scenario.ServerMode.EMBEDDED && devices > perProcess * loadProcesses) {
            throw tree.fail(
                    field,
                    String.format(
                            "a load process holds at most %,d devices against a server in another process (%s, 20,000"
                                    + " open files), got %,d in %d load process%s; run with more --workers"
                                    + " (with --target)",
                            perProcess,
                            proxied ? "three sockets each behind the network proxy" : "one socket each",
                            devices,
                            loadProcesses,
                            loadProcesses == 1 ? "" : "es"));
        }
    }

    /** The largest blob a scenario uploads: 64 MiB, above the server's default {@code media.maxBytes} of 16 MiB. */
    static final long MAX_MEDIA_BYTES = 64L * 1024 * 1024;

    /** The checks that span fields: bounds that depend on {@code users}, group traffic that needs groups. */
    private static void check(ScenarioFile spec, YamlTree tree) {
        int peers = Math.min(spec.users - 1, 1024);
        within(tree, "messages.bodyBytes", spec.messages.bodyBytes, encrypts(spec) ? 24 : 16, 65536);
        within(tree, "messages.mediaBytes", spec.messages.mediaBytes, 1, MAX_MEDIA_BYTES);
        if (spec.devices.wakeDelayP95.compareTo(spec.devices.wakeDelay) < 0) {
            throw tree.fail("devices.wakeDelayP95", "must be at least devices.wakeDelay, its median");
        }
        within(tree, "groups.size", groupSize(spec), 2, Math.min(spec.users, 1024)); // the server's maxGroupMembers
        within(tree, "contacts.perUser", SizeRange.of(spec.contacts.perUser), 0, peers);
        within(tree, "presence.subscriptionsPerUser", SizeRange.of(spec.presence.subscriptionsPerUser), 0, peers);
        if (spec.groups.count == 0 && spec.messages.groupShare > 0) {
            throw tree.fail("messages.groupShare", "needs groups: set groups.count above 0");
        } else if (spec.groups.count == 0 && spec.groups.changesPerSecond > 0) {
            throw tree.fail("groups.changesPerSecond", "needs groups: set groups.count above 0");
        }
        Map<String, Integer> lines = new HashMap<>();
        for (int i = 0; i < spec.variants.size(); i++) {
            String path = "variants[" + i + "].name";
            Integer earlier =
                    lines.putIfAbsent(spec.variants.get(i).name, tree.spot(path).line());
            if (earlier != null) {
                throw tree.fail(
                        path,
                        "duplicate variant name '" + spec.variants.get(i).name + "' (also at line " + earlier + ")");
            }
        }
    }

    /**
     * The direct transport's clients are I/O loops of the sharded router (their outboxes); locked routing writes to
     * a connection from whichever thread holds a lock, which a direct client's thread-bound connections cannot take.
     * Checked for each variant on the direct transport (a variant may name its own), with the settings it runs.
     */
    private static void directNeedsSharded(YamlTree tree, String path, Map<String, String> settings) {
        if ("locked".equalsIgnoreCase(settings.getOrDefault(RouterContext.ROUTING_PROP, ""))) {
            throw tree.fail(
                    path,
                    "transport: direct runs on sharded routing only (its clients read their outbox rings); locked"
                            + " routing writes to channels from any thread: compare it over transport: in-process");
        }
    }

    /** Whether the scenario or one of its variants runs Signal clients, whose plaintext also carries a digest. */
    private static boolean encrypts(ScenarioFile spec) {
        return spec.encryption == Scenario.Encryption.SIGNAL
                || spec.variants.stream().anyMatch(variant -> variant.encryption == Scenario.Encryption.SIGNAL);
    }

    /** A size's least value in {@code floor..ceiling}, its greatest from there to {@code ceiling}. */
    private static void within(YamlTree tree, String path, SizeRange size, long floor, long ceiling) {
        for (long value : new long[] {size.min(), size.max()}) {
            if (value < floor || value > ceiling) {
                throw tree.fail(path, "expected an integer in " + floor + ".." + ceiling + ", got '" + value + "'");
            }
            floor = size.min();
        }
    }

    /** As written, else 8, or every user when there are fewer. */
    private static SizeRange groupSize(ScenarioFile spec) {
        return spec.groups.size == null ? SizeRange.of(Math.min(spec.users, 8)) : spec.groups.size;
    }

    /**
     * Server settings, nested or dotted, as dotted keys in the order written, then {@code overrides} over them. {@link
     * YamlTree} has already refused a key given twice, also once nested and once dotted.
     */
    private static Map<String, String> settings(YamlTree tree, JsonNode node, String path, Map<String, String> over) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (node != null && !node.isNull()) {
            if (!node.isObject()) {
                throw tree.fail(
                        path,
                        "expected a mapping of server settings, e.g. {router.shards: 2}, got "
                                + tree.spot(path).shown());
            }
            flatten(tree, node, path, "", settings);
        }
        settings.putAll(over);
        return java.util.Collections.unmodifiableMap(settings);
    }

    private static void flatten(YamlTree tree, JsonNode node, String path, String key, Map<String, String> out) {
        String field = key.isEmpty() ? path : path + "." + key;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (entry.getKey().isBlank()) {
                    throw tree.fail(field, "setting names must be plain words, e.g. router.shards");
                }
                flatten(tree, entry.getValue(), path, key.isEmpty() ? entry.getKey() : key + "." + entry.getKey(), out);
            }
        } else if (node.isNull() || node.isArray()) {
            throw tree.fail(
                    field, node.isNull() ? "no value given" : "server settings take a single value, got a list");
        } else {
            out.put(key, node.asText());
        }
    }

    /**
     * Writes each {@code --set} value into the tree where the file's would stand; returns the server settings, which
     * replace a setting once the file's nested and dotted ones are flattened: {@code server.<key>} for the scenario,
     * {@code variants.<name>.server.<key>} for one variant.
     */
    private static ServerOverrides set(Path file, YamlTree tree, Map<String, String> overrides) {
        ServerOverrides server = new ServerOverrides(new LinkedHashMap<>(), new LinkedHashMap<>());
        overrides.forEach((rawKey, rawValue) -> {
            String key = String.valueOf(rawKey).strip();
            String value = rawValue == null ? "" : rawValue.strip();
            int variantSetting = key.startsWith(VARIANTS) ? key.indexOf(SERVER_IN_VARIANT, VARIANTS.length() + 1) : -1;
            boolean setting = key.startsWith("server.") && key.length() > "server.".length()
                    || variantSetting > 0 && key.length() > variantSetting + SERVER_IN_VARIANT.length();
            String problem = setting ? (value.isEmpty() ? "no value given" : null) : unsettable(key);
            if (problem != null) {
                throw new ScenarioException(file, 0, key, true, problem);
            } else if (variantSetting > 0) {
                server.variants()
                        .computeIfAbsent(
                                key.substring(VARIANTS.length(), variantSetting), name -> new LinkedHashMap<>())
                        .put(key.substring(variantSetting + SERVER_IN_VARIANT.length()), value);
            } else if (setting) {
                server.scenario().put(key.substring("server.".length()), value);
            } else {
                tree.set(key, value);
            }
        });
        return server;
    }

    /** {@code --set} server settings: the scenario's, and each variant's by name. */
    private record ServerOverrides(Map<String, String> scenario, Map<String, Map<String, String>> variants) {
        /** A variant's, or none. */
        Map<String, String> of(String variant) {
            return variants.getOrDefault(variant, Map.of());
        }

        /** Refuses the settings of a variant the scenario does not have, or that the run leaves out. */
        void checkVariants(Path file, List<String> all, List<String> run) {
            for (String name : variants.keySet()) {
                if (!run.contains(name)) {
                    String key = VARIANTS
                            + name
                            + SERVER_IN_VARIANT
                            + variants.get(name).keySet().iterator().next();
                    throw new ScenarioException(
                            file,
                            0,
                            key,
                            true,
                            all.contains(name)
                                    ? "variant '" + name + "' is not in this run (--variant)"
                                    : all.isEmpty()
                                            ? "the scenario has no variants; set its server's with --set server.<key>"
                                            : "no variant '" + name + "'; the scenario has " + String.join(", ", all));
                }
            }
        }

        /**
         * Refuses a scenario-wide setting that a variant of the run sets itself, unless the variant's is set too: the
         * variant's value from the file would win for its run, so the run would measure a setting its user did not ask
         * for while the command line says otherwise.
         */
        void refuseShadowed(Path file, List<Scenario.Variant> run) {
            for (String key : scenario.keySet()) {
                for (Scenario.Variant variant : run) {
                    String own = variant.server().get(key);
                    if (own != null && !of(variant.name()).containsKey(key)) {
                        throw new ScenarioException(
                                file,
                                0,
                                "server." + key,
                                true,
                                "variant '" + variant.name() + "' sets " + key + " itself (" + own
                                        + "), which wins for its run; set the variant's with --set " + VARIANTS
                                        + variant.name() + SERVER_IN_VARIANT + key + "=..., or choose the variants"
                                        + " that do not set it with --variant");
                    }
                }
            }
        }
    }

    /** Why {@code --set} cannot change {@code key}, or null when it can: a single value of the file or a section. */
    private static String unsettable(String key) {
        String head = key.split("[.\\[]", 2)[0];
        Field field = ScenarioFile.field(ScenarioFile.class, head);
        Class<?> type = field == null ? Void.class : field.getType();
        if (key.equals("server")) {
            return "name a server setting: --set server.<key>=<value>, e.g. server.router.shards=1";
        } else if (List.class.isAssignableFrom(type)) {
            return "lists cannot be changed with --set, except a variant's server settings (--set"
                    + " variants.<name>.server.<key>=<value>); edit the file";
        } else if (isSection(type) && key.equals(head)) {
            return "name one of its fields: "
                    + names(type).stream().map(name -> head + "." + name).collect(joining(", "));
        } else if (isSection(type)) {
            boolean known = names(type).contains(key.substring(head.length() + 1));
            return known ? null : "unknown field; known fields in '" + head + "': " + String.join(", ", names(type));
        } else if (key.equals(head) && field != null && ScenarioFile.single(type)) {
            return null;
        }
        List<String> settable = new ArrayList<>();
        for (Field each : ScenarioFile.fields(ScenarioFile.class)) {
            if (isSection(each.getType())) {
                names(each.getType()).forEach(name -> settable.add(each.getName() + "." + name));
            } else if (ScenarioFile.single(each.getType())) {
                settable.add(each.getName());
            }
        }
        return "unknown field; fields --set can change: " + String.join(", ", settable) + ", server.<key>";
    }
}
