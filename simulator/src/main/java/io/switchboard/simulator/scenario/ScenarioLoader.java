package io.switchboard.simulator.scenario;

import io.switchboard.simulator.scenario.Scenario.Churn;
import io.switchboard.simulator.scenario.Scenario.Contacts;
import io.switchboard.simulator.scenario.Scenario.Curve;
import io.switchboard.simulator.scenario.Scenario.Groups;
import io.switchboard.simulator.scenario.Scenario.Messages;
import io.switchboard.simulator.scenario.Scenario.Presence;
import io.switchboard.simulator.scenario.Scenario.Transport;
import io.switchboard.simulator.scenario.Scenario.Variant;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a scenario file (docs/scenarios.md) into a validated {@link Scenario}, applying {@code --set} overrides.
 *
 * <p>The YAML is composed into nodes rather than constructed into maps so that every value keeps its line: any
 * problem is a {@link ScenarioException} naming the file, the line (or {@code --set}) and the field.
 */
public final class ScenarioLoader {
    /** What a scenario or variant name may be. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static final long DEFAULT_SEED = 1;
    public static final int DEFAULT_USERS = 100;
    public static final int MIN_USERS = 2;
    public static final int MAX_USERS = 1_000_000;
    public static final int DEFAULT_DEVICES_PER_USER = 1;
    /** A primary and up to seven companions; {@link #MAX_USERS} users of this many devices fit in 23-bit slots. */
    public static final int MAX_DEVICES_PER_USER = 8;
    /** Two sockets per device live in one process (client and server side); the open-files limit is 20,000. */
    public static final int MAX_WEBSOCKET_DEVICES = 9_000;

    public static final Transport DEFAULT_TRANSPORT = Transport.WEBSOCKET;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);
    public static final int DEFAULT_RATE = 1000;
    public static final int DEFAULT_BODY_BYTES = 100;
    public static final int MIN_BODY_BYTES = 16;
    public static final int MAX_BODY_BYTES = 65536;
    public static final double DEFAULT_READ_SHARE = 0.5;
    public static final Duration DEFAULT_READ_DELAY = Duration.ZERO;
    public static final double DEFAULT_ONLINE = 1;
    public static final Duration DEFAULT_SESSION_LENGTH = Duration.ofMinutes(5);
    public static final double DEFAULT_GROUP_SHARE = 0;
    public static final double DEFAULT_TYPING_SHARE = 0;
    public static final int MAX_GROUPS = 100_000;
    public static final int MIN_GROUP_SIZE = 2;
    /** The server's default {@code router.maxGroupMembers}, the creator included. */
    public static final int MAX_GROUP_SIZE = 1024;
    /** Changes are serialized with their group's messages, so a rate far above any real one only stalls groups. */
    public static final double MAX_GROUP_CHANGES_PER_SECOND = 100;

    public static final int MAX_SUBSCRIPTIONS = 1024;
    public static final int MAX_CONTACTS = 1024;
    public static final Duration DEFAULT_DIURNAL_PERIOD = Duration.ofMinutes(1);
    public static final double DEFAULT_CONTACT_EXPONENT = 1;
    public static final double MIN_CONTACT_EXPONENT = 0.1;
    public static final double MAX_CONTACT_EXPONENT = 3;

    /** The fields of a scenario, of {@code messages}, and of each variant, in documentation order. */
    static final List<String> FIELDS = List.of(
            "name",
            "seed",
            "users",
            "devicesPerUser",
            "transport",
            "duration",
            "warmup",
            "drain",
            "messages",
            "curve",
            "groups",
            "contacts",
            "presence",
            "churn",
            "server",
            "variants",
            "slo");

    static final List<String> MESSAGE_FIELDS =
            List.of("rate", "bodyBytes", "readShare", "readDelay", "groupShare", "typingShare");
    static final List<String> GROUP_FIELDS = List.of("count", "size", "changesPerSecond");
    static final List<String> PRESENCE_FIELDS = List.of("subscriptionsPerUser");
    static final List<String> CONTACT_FIELDS = List.of("perUser", "exponent");
    static final List<String> CURVE_FIELDS = List.of("rampUp", "diurnalAmplitude", "diurnalPeriod");
    static final List<String> CHURN_FIELDS = List.of("online", "sessionLength");
    static final List<String> VARIANT_FIELDS = List.of("name", "server");

    /** Fields {@code --set} can change besides {@code server.<key>}. */
    private static final List<String> SETTABLE = List.of(
            "name",
            "seed",
            "users",
            "devicesPerUser",
            "transport",
            "duration",
            "warmup",
            "drain",
            "messages.rate",
            "messages.bodyBytes",
            "messages.readShare",
            "messages.readDelay",
            "messages.groupShare",
            "messages.typingShare",
            "groups.count",
            "groups.size",
            "groups.changesPerSecond",
            "presence.subscriptionsPerUser",
            "contacts.perUser",
            "contacts.exponent",
            "curve.rampUp",
            "curve.diurnalAmplitude",
            "curve.diurnalPeriod",
            "churn.online",
            "churn.sessionLength");

    /** SLO quantities measured as latencies (thresholds take us, ms or s); every other quantity is a plain number. */
    static final Set<String> LATENCY_QUANTITIES = Slo.LATENCY_QUANTITIES;

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern SIZE_RANGE = Pattern.compile("([0-9]+)\\s*\\.\\.\\s*([0-9]+)");
    private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m)");
    private static final Pattern SLO = Pattern.compile("([A-Za-z][A-Za-z0-9.]*)\\s*([<>=!]+)\\s*(.*)");
    private static final Pattern THRESHOLD = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)");
    private static final Pattern QUESTION_PREFIX = Pattern.compile("(?i)question\\s*:");
    private static final int MAX_SERVER_DEPTH = 16;

    private final Path file;
    /** Overrides of scalar fields by dotted path ({@code messages.rate}). */
    private final Map<String, Value> set = new HashMap<>();
    /** Overrides of server settings by key ({@code router.shards}). */
    private final Map<String, Value> serverSet = new LinkedHashMap<>();

    /** A scalar value and where it came from: a line of the file (0 if unknown), or {@code --set}. */
    private record Value(String text, int line, boolean fromOverride) {}

    private ScenarioLoader(Path file) {
        this.file = file;
    }

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
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file, "no such file");
        } catch (CharacterCodingException e) {
            throw new ScenarioException(file, "cannot read: not UTF-8 text");
        } catch (IOException e) {
            throw new ScenarioException(file, "cannot read: " + e);
        }
        ScenarioLoader loader = new ScenarioLoader(file);
        loader.readOverrides(overrides);
        return loader.parse(text);
    }

    private Scenario parse(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String question = question(text);
        Map<String, NodeTuple> top = fields(compose(text), "", FIELDS);

        String name = name(scalar("name", value(top, "name")));
        long seed = integer(scalar("seed", value(top, "seed")), "seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        Value usersValue = scalar("users", value(top, "users"));
        int users = (int) integer(usersValue, "users", DEFAULT_USERS, MIN_USERS, MAX_USERS);
        Value devicesValue = scalar("devicesPerUser", value(top, "devicesPerUser"));
        int devicesPerUser =
                (int) integer(devicesValue, "devicesPerUser", DEFAULT_DEVICES_PER_USER, 1, MAX_DEVICES_PER_USER);
        Transport transport = transport(scalar("transport", value(top, "transport")));
        if (transport == Transport.WEBSOCKET && users * devicesPerUser > MAX_WEBSOCKET_DEVICES) {
            throw tooManyWebSocketDevices(usersValue, devicesValue, users, devicesPerUser);
        }
        Duration duration = duration(scalar("duration", value(top, "duration")), "duration", DEFAULT_DURATION, false);
        Duration warmup = duration(scalar("warmup", value(top, "warmup")), "warmup", DEFAULT_WARMUP, true);
        Duration drain = duration(scalar("drain", value(top, "drain")), "drain", DEFAULT_DRAIN, true);
        Groups groups = groups(value(top, "groups"), users);
        Messages messages = messages(value(top, "messages"), groups);
        Contacts contacts = contacts(value(top, "contacts"), users);
        Curve curve = curve(value(top, "curve"));
        Presence presence = presence(value(top, "presence"), users);
        Churn churn = churn(value(top, "churn"));

        Map<String, Value> server = new LinkedHashMap<>();
        Node serverNode = value(top, "server");
        if (serverNode != null && !isNull(serverNode)) {
            flatten(serverNode, "server", "", server, 0);
        }
        server.putAll(serverSet);

        List<Variant> variants = variants(value(top, "variants"));
        List<Slo> slos = slos(value(top, "slo"));
        return new Scenario(
                file,
                name,
                question,
                seed,
                users,
                devicesPerUser,
                transport,
                duration,
                warmup,
                drain,
                messages,
                curve,
                groups,
                contacts,
                presence,
                churn,
                strings(server),
                variants,
                slos);
    }

    // ---- the question: the opening comment --------------------------------------------------------------------

    /** The opening comment lines, '#' and an optional "Question:" stripped, joined with spaces. */
    private String question(String text) {
        StringBuilder question = new StringBuilder();
        boolean started = false;
        for (String line : text.split("\\R", -1)) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("#")) {
                if (trimmed.isEmpty() && !started) {
                    continue;
                }
                break;
            }
            started = true;
            String comment = trimmed.replaceFirst("^#+", "").strip();
            if (question.length() == 0) {
                comment = QUESTION_PREFIX.matcher(comment).replaceFirst("").strip();
            }
            if (!comment.isEmpty()) {
                question.append(question.length() == 0 ? "" : " ").append(comment);
            }
        }
        if (question.length() == 0) {
            throw new ScenarioException(
                    file,
                    1,
                    "question",
                    false,
                    "missing: a scenario opens with a comment stating the question it answers, e.g. "
                            + "'# Question: how does p99 change from 1k to 10k msgs/s?'");
        }
        return question.toString();
    }

    // ---- YAML structure ---------------------------------------------------------------------------------------

    private Node compose(String text) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setSchema(new CoreSchema())
                .build();
        try {
            Composer composer = new Composer(
                    settings, new ParserImpl(settings, new StreamReader(settings, new StringReader(text))));
            return composer.getSingleNode().orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark()
                    .or(e::getContextMark)
                    .map(mark -> mark.getLine() + 1)
                    .orElse(0);
            String context = e.getContext() == null
                    ? ""
                    : oneLine(e.getContext())
                            + e.getContextMark()
                                    .filter(mark -> mark.getLine() + 1 != line)
                                    .map(mark -> " (line " + (mark.getLine() + 1) + ")")
                                    .orElse("")
                            + ": ";
            throw new ScenarioException(
                    file, line, null, false, "not valid YAML: " + context + oneLine(e.getProblem()));
        } catch (YamlEngineException e) {
            throw new ScenarioException(file, "not valid YAML: " + oneLine(e.getMessage()));
        }
    }

    /**
     * The fields of a mapping by name, each known and given once. {@code path} is the mapping's own dotted path
     * ("" for the top level); a null node or an empty value is an empty mapping.
     */
    private Map<String, NodeTuple> fields(Node node, String path, List<String> known) {
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        if (node == null || isNull(node)) {
            return fields;
        }
        if (!(node instanceof MappingNode mapping)) {
            if (path.isEmpty()) {
                throw new ScenarioException(
                        file, line(node), null, false, "expected a mapping of scenario fields, got " + kind(node));
            }
            throw fail(node, path, "expected a mapping of " + String.join(", ", known) + ", got " + kind(node));
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key) || isNull(keyNode)) {
                throw fail(keyNode, path.isEmpty() ? "(key)" : path, "field names must be plain words");
            }
            String name = key.getValue().strip();
            String field = join(path, name);
            if (!known.contains(name)) {
                throw fail(
                        keyNode,
                        field,
                        "unknown field; known fields" + (path.isEmpty() ? "" : " in '" + path + "'") + ": "
                                + String.join(", ", known));
            }
            NodeTuple earlier = fields.putIfAbsent(name, tuple);
            if (earlier != null) {
                throw fail(keyNode, field, "given twice (also at line " + line(earlier.getKeyNode()) + ")");
            }
        }
        return fields;
    }

    private static Node value(Map<String, NodeTuple> fields, String name) {
        NodeTuple tuple = fields.get(name);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** A single value: the override for {@code path} if any, else the node's text; null when neither is given. */
    private Value scalar(String path, Node node) {
        Value override = set.get(path);
        if (override != null) {
            return override;
        }
        return fileScalar(path, node);
    }

    private Value fileScalar(String path, Node node) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw fail(node, path, "expected a single value, got " + kind(node));
        }
        if (isNull(node)) {
            throw fail(node, path, "no value given (leave the field out to use its default)");
        }
        return new Value(scalar.getValue(), line(node), false);
    }

    // ---- fields -------------------------------------------------------------------------------------------------

    private String name(Value value) {
        if (value == null) {
            String fileName =
                    file.getFileName() == null ? "" : file.getFileName().toString();
            String stem = fileName.replaceFirst("\\.(yaml|yml)$", "");
            if (!NAME.matcher(stem).matches()) {
                throw new ScenarioException(
                        file,
                        0,
                        "name",
                        false,
                        "the file name gives the name '" + stem + "', which is not " + NAME.pattern()
                                + "; add a 'name:' field");
            }
            return stem;
        }
        String name = value.text().strip();
        if (!NAME.matcher(name).matches()) {
            throw fail(value, "name", "expected 1 to 64 of A-Z a-z 0-9 . _ -, got '" + value.text() + "'");
        }
        return name;
    }

    private Transport transport(Value value) {
        if (value == null) {
            return DEFAULT_TRANSPORT;
        }
        return switch (value.text().strip().toLowerCase(Locale.ROOT)) {
            case "websocket" -> Transport.WEBSOCKET;
            case "in-process" -> Transport.IN_PROCESS;
            default -> throw fail(value, "transport", "expected websocket or in-process, got '" + value.text() + "'");
        };
    }

    /** Names {@code devicesPerUser} when it was raised above 1, else {@code users} (which is then above the bound). */
    private ScenarioException tooManyWebSocketDevices(
            Value usersValue, Value devicesValue, int users, int devicesPerUser) {
        boolean blameDevices = devicesPerUser > 1;
        return fail(
                blameDevices ? devicesValue : usersValue,
                blameDevices ? "devicesPerUser" : "users",
                String.format(
                        "websocket transport holds at most %,d devices in one process (two sockets each, 20,000 open"
                                + " files), got %,d users × %d devices each; use transport: in-process",
                        MAX_WEBSOCKET_DEVICES, users, devicesPerUser));
    }

    private Messages messages(Node node, Groups groups) {
        Map<String, NodeTuple> fields = fields(node, "messages", MESSAGE_FIELDS);
        int rate = (int) integer(
                scalar("messages.rate", value(fields, "rate")), "messages.rate", DEFAULT_RATE, 1, Integer.MAX_VALUE);
        int[] bodyBytes = sizeRange(
                scalar("messages.bodyBytes", value(fields, "bodyBytes")),
                "messages.bodyBytes",
                DEFAULT_BODY_BYTES,
                MIN_BODY_BYTES,
                MAX_BODY_BYTES);
        double readShare = share(
                scalar("messages.readShare", value(fields, "readShare")), "messages.readShare", DEFAULT_READ_SHARE);
        Duration readDelay = duration(
                scalar("messages.readDelay", value(fields, "readDelay")),
                "messages.readDelay",
                DEFAULT_READ_DELAY,
                true);
        Value groupShareValue = scalar("messages.groupShare", value(fields, "groupShare"));
        double groupShare = share(groupShareValue, "messages.groupShare", DEFAULT_GROUP_SHARE);
        if (groupShare > 0 && groups.count() == 0) {
            throw fail(groupShareValue, "messages.groupShare", "needs groups: set groups.count above 0");
        }
        double typingShare = share(
                scalar("messages.typingShare", value(fields, "typingShare")),
                "messages.typingShare",
                DEFAULT_TYPING_SHARE);
        return new Messages(rate, bodyBytes[0], bodyBytes[1], readShare, readDelay, groupShare, typingShare);
    }

    private Groups groups(Node node, int users) {
        Map<String, NodeTuple> fields = fields(node, "groups", GROUP_FIELDS);
        int count = (int) integer(scalar("groups.count", value(fields, "count")), "groups.count", 0, 0, MAX_GROUPS);
        int fixed = Math.min(users, Groups.NONE.maxSize());
        int[] size = sizeRange(
                scalar("groups.size", value(fields, "size")),
                "groups.size",
                fixed,
                MIN_GROUP_SIZE,
                Math.min(users, MAX_GROUP_SIZE));
        Value changesValue = scalar("groups.changesPerSecond", value(fields, "changesPerSecond"));
        double changesPerSecond = number(changesValue, "groups.changesPerSecond", 0, 0, MAX_GROUP_CHANGES_PER_SECOND);
        if (changesPerSecond > 0 && count == 0) {
            throw fail(changesValue, "groups.changesPerSecond", "needs groups: set groups.count above 0");
        }
        return new Groups(count, size[0], size[1], changesPerSecond);
    }

    /**
     * A size {@code N} (read as {@code N..N}) or a range {@code MIN..MAX}, both ends in {@code floor..ceiling}, as
     * {min, max}; {@code defaultValue..defaultValue} when the field is left out.
     */
    private int[] sizeRange(Value size, String path, int defaultValue, int floor, int ceiling) {
        if (size == null) {
            return new int[] {defaultValue, defaultValue};
        }
        Matcher range = SIZE_RANGE.matcher(size.text().strip());
        if (range.matches()) {
            int min =
                    (int) integer(new Value(range.group(1), size.line(), size.fromOverride()), path, 0, floor, ceiling);
            int max = (int) integer(new Value(range.group(2), size.line(), size.fromOverride()), path, 0, min, ceiling);
            return new int[] {min, max};
        }
        if (!INTEGER.matcher(size.text().strip()).matches()) {
            throw fail(size, path, "expected a size N or a range MIN..MAX, got '" + size.text() + "'");
        }
        int fixed = (int) integer(size, path, 0, floor, ceiling);
        return new int[] {fixed, fixed};
    }

    private Curve curve(Node node) {
        Map<String, NodeTuple> fields = fields(node, "curve", CURVE_FIELDS);
        return new Curve(
                duration(scalar("curve.rampUp", value(fields, "rampUp")), "curve.rampUp", Duration.ZERO, true),
                share(scalar("curve.diurnalAmplitude", value(fields, "diurnalAmplitude")), "curve.diurnalAmplitude", 0),
                duration(
                        scalar("curve.diurnalPeriod", value(fields, "diurnalPeriod")),
                        "curve.diurnalPeriod",
                        DEFAULT_DIURNAL_PERIOD,
                        false));
    }

    private Contacts contacts(Node node, int users) {
        Map<String, NodeTuple> fields = fields(node, "contacts", CONTACT_FIELDS);
        int perUser = (int) integer(
                scalar("contacts.perUser", value(fields, "perUser")),
                "contacts.perUser",
                0,
                0,
                Math.min(users - 1, MAX_CONTACTS));
        double exponent = number(
                scalar("contacts.exponent", value(fields, "exponent")),
                "contacts.exponent",
                DEFAULT_CONTACT_EXPONENT,
                MIN_CONTACT_EXPONENT,
                MAX_CONTACT_EXPONENT);
        return new Contacts(perUser, exponent);
    }

    private Presence presence(Node node, int users) {
        Map<String, NodeTuple> fields = fields(node, "presence", PRESENCE_FIELDS);
        return new Presence((int) integer(
                scalar("presence.subscriptionsPerUser", value(fields, "subscriptionsPerUser")),
                "presence.subscriptionsPerUser",
                0,
                0,
                Math.min(users - 1, MAX_SUBSCRIPTIONS)));
    }

    private Churn churn(Node node) {
        Map<String, NodeTuple> fields = fields(node, "churn", CHURN_FIELDS);
        Value onlineValue = scalar("churn.online", value(fields, "online"));
        double online = share(onlineValue, "churn.online", DEFAULT_ONLINE);
        if (online == 0) {
            throw fail(
                    onlineValue,
                    "churn.online",
                    "expected a number above 0 and at most 1, got '" + onlineValue.text() + "'");
        }
        Duration sessionLength = duration(
                scalar("churn.sessionLength", value(fields, "sessionLength")),
                "churn.sessionLength",
                DEFAULT_SESSION_LENGTH,
                false);
        return new Churn(online, sessionLength);
    }

    private List<Variant> variants(Node node) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw fail(node, "variants", "expected a list of variants, each with a name, got " + kind(node));
        }
        List<Variant> variants = new ArrayList<>();
        Map<String, Integer> lines = new HashMap<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node item = sequence.getValue().get(i);
            String path = "variants[" + i + "]";
            if (!(item instanceof MappingNode)) {
                throw fail(item, path, "expected a mapping with name and server, got " + kind(item));
            }
            Map<String, NodeTuple> fields = fields(item, path, VARIANT_FIELDS);
            Value nameValue = fileScalar(path + ".name", value(fields, "name"));
            if (nameValue == null) {
                throw fail(item, path + ".name", "missing: every variant needs a name");
            }
            String name = nameValue.text().strip();
            if (!NAME.matcher(name).matches()) {
                throw fail(
                        nameValue,
                        path + ".name",
                        "expected 1 to 64 of A-Z a-z 0-9 . _ -, got '" + nameValue.text() + "'");
            }
            Integer earlier = lines.putIfAbsent(name, nameValue.line());
            if (earlier != null) {
                throw fail(
                        nameValue,
                        path + ".name",
                        "duplicate variant name '" + name + "' (also at line " + earlier + ")");
            }
            Map<String, Value> server = new LinkedHashMap<>();
            Node serverNode = value(fields, "server");
            if (serverNode != null && !isNull(serverNode)) {
                flatten(serverNode, path + ".server", "", server, 0);
            }
            variants.add(new Variant(name, strings(server)));
        }
        return List.copyOf(variants);
    }

    /** Server settings, nested or dotted, into dotted keys; each leaf a single value, each key given once. */
    private void flatten(Node node, String path, String prefix, Map<String, Value> out, int depth) {
        String field = prefix.isEmpty() ? path : path + "." + prefix.substring(0, prefix.length() - 1);
        if (depth > MAX_SERVER_DEPTH) {
            throw fail(node, field, "nested too deeply");
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode key)
                        || isNull(keyNode)
                        || key.getValue().isBlank()) {
                    throw fail(keyNode, field, "setting names must be plain words, e.g. router.shards");
                }
                flatten(tuple.getValueNode(), path, prefix + key.getValue().strip() + ".", out, depth + 1);
            }
        } else if (node instanceof ScalarNode scalar) {
            if (prefix.isEmpty()) {
                throw fail(
                        node,
                        path,
                        "expected a mapping of server settings, e.g. {router.shards: 2}, got " + kind(node));
            }
            if (isNull(node)) {
                throw fail(node, field, "no value given");
            }
            String key = prefix.substring(0, prefix.length() - 1);
            Value earlier = out.putIfAbsent(key, new Value(scalar.getValue(), line(node), false));
            if (earlier != null) {
                throw fail(node, field, "given twice (also at line " + earlier.line() + ")");
            }
        } else if (prefix.isEmpty()) {
            throw fail(node, path, "expected a mapping of server settings, e.g. {router.shards: 2}, got " + kind(node));
        } else {
            throw fail(node, field, "server settings take a single value, got " + kind(node));
        }
    }

    private List<Slo> slos(Node node) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw fail(node, "slo", "expected a list of objectives such as '- p99 < 50ms', got " + kind(node));
        }
        List<Slo> slos = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node item = sequence.getValue().get(i);
            String path = "slo[" + i + "]";
            if (!(item instanceof ScalarNode) || isNull(item)) {
                throw fail(
                        item,
                        path,
                        "expected an objective '<quantity> <op> <number>[unit]' such as 'p99 < 50ms', got "
                                + kind(item)
                                + (item instanceof MappingNode ? " (is there a ': ' in it?)" : ""));
            }
            slos.add(slo(new Value(((ScalarNode) item).getValue(), line(item), false), path));
        }
        return List.copyOf(slos);
    }

    private Slo slo(Value value, String path) {
        String text = value.text().strip();
        Matcher matcher = SLO.matcher(text);
        if (!matcher.matches()) {
            throw fail(
                    value,
                    path,
                    "expected '<quantity> <op> <number>[unit]' such as 'p99 < 50ms' or 'lost == 0', got '" + text
                            + "'");
        }
        String quantity = matcher.group(1);
        if (!Slo.QUANTITIES.contains(quantity)) {
            throw fail(value, path, "unknown quantity '" + quantity + "'; known: " + String.join(", ", Slo.QUANTITIES));
        }
        Slo.Comparison comparison = null;
        for (Slo.Comparison candidate : Slo.Comparison.values()) {
            if (candidate.symbol().equals(matcher.group(2))) {
                comparison = candidate;
            }
        }
        if (comparison == null) {
            throw fail(value, path, "unknown comparison '" + matcher.group(2) + "'; use <, <=, >, >= or ==");
        }
        Matcher threshold = THRESHOLD.matcher(matcher.group(3));
        boolean latency = LATENCY_QUANTITIES.contains(quantity);
        if (!threshold.matches()) {
            throw fail(
                    value,
                    path,
                    "expected a number" + (latency ? " with a unit (us, ms or s)" : "") + " after '" + matcher.group(2)
                            + "', got '" + matcher.group(3) + "'");
        }
        double number = Double.parseDouble(threshold.group(1));
        String unit = threshold.group(2);
        if (latency) {
            double micros = switch (unit) {
                case "us" -> 1;
                case "ms" -> 1_000;
                case "s" -> 1_000_000;
                case "" ->
                    throw fail(
                            value,
                            path,
                            "'" + quantity + "' is a latency: give a unit (us, ms or s), got '" + matcher.group(3)
                                    + "'");
                default ->
                    throw fail(
                            value, path, "unknown unit '" + unit + "' for latency '" + quantity + "'; use us, ms or s");
            };
            return new Slo(text, quantity, comparison, number * micros);
        }
        if (!unit.isEmpty()) {
            throw fail(
                    value,
                    path,
                    "'" + quantity + "' is a count: give a plain number without a unit, got '" + matcher.group(3)
                            + "'");
        }
        return new Slo(text, quantity, comparison, number);
    }

    // ---- values -------------------------------------------------------------------------------------------------

    private long integer(Value value, String path, long defaultValue, long min, long max) {
        if (value == null) {
            return defaultValue;
        }
        String expectation = min == 1 && max == Integer.MAX_VALUE
                ? "a positive integer"
                : min == Long.MIN_VALUE ? "an integer" : "an integer in " + min + ".." + max;
        String text = value.text().strip();
        long number;
        try {
            if (!INTEGER.matcher(text).matches()) {
                throw new NumberFormatException();
            }
            number = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw fail(value, path, "expected " + expectation + ", got '" + value.text() + "'");
        }
        if (number < min || number > max) {
            throw fail(value, path, "expected " + expectation + ", got '" + value.text() + "'");
        }
        return number;
    }

    private double share(Value value, String path, double defaultValue) {
        return number(value, path, defaultValue, 0, 1);
    }

    private double number(Value value, String path, double defaultValue, double min, double max) {
        if (value == null) {
            return defaultValue;
        }
        String text = value.text().strip();
        double number = DECIMAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
        if (!(number >= min && number <= max)) {
            throw fail(
                    value,
                    path,
                    "expected a number from " + plain(min) + " to " + plain(max) + ", got '" + value.text() + "'");
        }
        return number;
    }

    /** {@code 1.0} as {@code 1}, {@code 0.1} as it is. */
    private static String plain(double number) {
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }

    private Duration duration(Value value, String path, Duration defaultValue, boolean zeroAllowed) {
        if (value == null) {
            return defaultValue;
        }
        String text = value.text().strip();
        String expectation = zeroAllowed
                ? "expected a duration such as 500ms, 5s or 2m (0 for none), got '" + value.text() + "'"
                : "expected a duration above 0 such as 500ms, 30s or 2m, got '" + value.text() + "'";
        if (zeroAllowed && text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw fail(value, path, expectation);
        }
        Duration duration;
        try {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw fail(value, path, expectation);
        }
        if (duration.isZero() && !zeroAllowed) {
            throw fail(value, path, expectation);
        }
        return duration;
    }

    // ---- --set ------------------------------------------------------------------------------------------------

    private void readOverrides(Map<String, String> overrides) {
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String key = entry.getKey() == null ? "" : entry.getKey().strip();
            Value value = new Value(entry.getValue() == null ? "" : entry.getValue(), 0, true);
            if (key.startsWith("server.") && key.length() > "server.".length()) {
                if (value.text().isBlank()) {
                    throw setFail(key, "no value given");
                }
                serverSet.put(key.substring("server.".length()), value);
            } else if (SETTABLE.contains(key)) {
                set.put(key, value);
            } else if (key.equals("server")) {
                throw setFail(key, "name a server setting: --set server.<key>=<value>, e.g. server.router.shards=1");
            } else if (key.equals("messages")) {
                throw setFail(key, "name one of its fields: messages." + String.join(", messages.", MESSAGE_FIELDS));
            } else if (key.startsWith("messages.")) {
                throw setFail(key, "unknown field; known fields in 'messages': " + String.join(", ", MESSAGE_FIELDS));
            } else if (key.equals("churn") || key.startsWith("churn.")) {
                throw setFail(key, "unknown field; known fields in 'churn': " + String.join(", ", CHURN_FIELDS));
            } else if (key.equals("groups") || key.startsWith("groups.")) {
                throw setFail(key, "unknown field; known fields in 'groups': " + String.join(", ", GROUP_FIELDS));
            } else if (key.equals("curve") || key.startsWith("curve.")) {
                throw setFail(key, "unknown field; known fields in 'curve': " + String.join(", ", CURVE_FIELDS));
            } else if (key.equals("contacts") || key.startsWith("contacts.")) {
                throw setFail(key, "unknown field; known fields in 'contacts': " + String.join(", ", CONTACT_FIELDS));
            } else if (key.equals("presence") || key.startsWith("presence.")) {
                throw setFail(key, "unknown field; known fields in 'presence': " + String.join(", ", PRESENCE_FIELDS));
            } else if (key.equals("variants")
                    || key.startsWith("variants.")
                    || key.startsWith("variants[")
                    || key.equals("slo")
                    || key.startsWith("slo.")
                    || key.startsWith("slo[")) {
                throw setFail(key, "lists cannot be changed with --set; edit the file");
            } else {
                throw setFail(
                        key,
                        "unknown field; fields --set can change: " + String.join(", ", SETTABLE) + ", server.<key>");
            }
        }
    }

    private ScenarioException setFail(String key, String problem) {
        return new ScenarioException(file, 0, key, true, problem);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private ScenarioException fail(Node node, String field, String problem) {
        return new ScenarioException(file, line(node), field, false, problem);
    }

    private ScenarioException fail(Value value, String field, String problem) {
        return new ScenarioException(file, value.line(), field, value.fromOverride(), problem);
    }

    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull(node) ? "nothing" : "'" + ((ScalarNode) node).getValue() + "'";
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static Map<String, String> strings(Map<String, Value> values) {
        Map<String, String> strings = new LinkedHashMap<>();
        values.forEach((key, value) -> strings.put(key, value.text().strip()));
        return Collections.unmodifiableMap(strings);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }
}
