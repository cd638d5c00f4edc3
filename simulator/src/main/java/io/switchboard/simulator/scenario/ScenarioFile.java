package io.switchboard.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.simulator.scenario.Scenario.Codec;
import io.switchboard.simulator.scenario.Scenario.Encryption;
import io.switchboard.simulator.scenario.Scenario.FaultKind;
import io.switchboard.simulator.scenario.Scenario.Sessions;
import io.switchboard.simulator.scenario.Scenario.Transport;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * A scenario file as written (docs/scenarios.md): what Jackson binds its YAML to and Bean Validation checks, one field
 * per field of the docs, in their order, which is also the order errors list them in.
 *
 * <p>Mutable classes rather than records, so that a default is the field's initializer: Jackson leaves alone a field
 * the file leaves out, fails on one written with no value, and skips an empty section ({@link ScenarioBinder} sets
 * those rules; records would take a field left out as null or 0). A constraint states a bound once: the binder words
 * errors from it ({@code @Min(2) @Max(1_000_000)} reads "expected an integer in 2..1000000"), and a {@link
 * JsonPropertyDescription} words a field no constraint describes. Bounds that depend on another field ({@code
 * groups.size} at most {@code users}) are {@link ScenarioLoader}'s, once every field is bound. Annotations stand after
 * {@code public} so that each field reads as a row of the docs' table. One instance per load; not thread-safe.
 */
final class ScenarioFile {
    static final String NAME = "[A-Za-z0-9._-]{1,64}";
    static final String NAME_TEXT = "1 to 64 of A-Z a-z 0-9 . _ -";
    private static final String NO_NAME = "missing: every variant needs a name";
    private static final java.util.regex.Pattern SIZE =
            java.util.regex.Pattern.compile("([+-]?[0-9]{1,18})(?:\\s*\\.\\.\\s*([+-]?[0-9]{1,18}))?");
    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("([0-9]{1,18})\\s*(ms|s|m)");

    public @JsonPropertyDescription(NAME_TEXT) @Pattern(regexp = NAME) String name; // null: the file name
    public long seed = 1;
    public @Min(2) @Max(1_000_000) int users = 100;
    public @Min(1) @Max(8) int devicesPerUser = 1;
    public Transport transport = Transport.WEBSOCKET;
    public Encryption encryption = Encryption.NONE;
    public Codec codec = Codec.JSON;
    public Sessions sessions = Sessions.FIRST_CONTACT;
    public @DurationMin(inclusive = false) Duration duration = Duration.ofSeconds(30);
    public Duration warmup = Duration.ofSeconds(5);
    public Duration drain = Duration.ofSeconds(10);
    public @Valid Messages messages = new Messages();
    public @Valid Curve curve = new Curve();
    public @Valid Groups groups = new Groups();
    public @Valid Contacts contacts = new Contacts();
    public @Valid Presence presence = new Presence();
    public @Valid Churn churn = new Churn();
    public @Valid Devices devices = new Devices();
    public JsonNode server; // settings nested or dotted, flattened by the loader
    public @JsonPropertyDescription("a list of variants, each with a name") List<@Valid Variant> variants = List.of();
    public @JsonPropertyDescription("a list of objectives such as '- p99 < 50ms'") List<String> slo = List.of();
    public @JsonPropertyDescription("a list of faults such as '- {kind: kill, at: 20s, for: 2s}'") List<@Valid Fault>
            faults = List.of();

    static final class Messages {
        public @Positive int rate = 1000;
        public SizeRange bodyBytes = SizeRange.of(100); // 16..65536, checked by the loader
        public @DecimalMin("0") @DecimalMax("1") double readShare = 0.5;
        public Duration readDelay = Duration.ZERO;
        public @DecimalMin("0") @DecimalMax("1") double groupShare = 0;
        public @DecimalMin("0") @DecimalMax("1") double typingShare = 0;
        public @DecimalMin("0") @DecimalMax("1") double mediaShare = 0;
        public SizeRange mediaBytes = SizeRange.of(Scenario.Messages.MEDIA_BYTES_DEFAULT); // 1..64 MiB, by the loader
    }

    static final class Curve {
        public Duration rampUp = Duration.ZERO;
        public @DecimalMin("0") @DecimalMax("1") double diurnalAmplitude = 0;
        public @DurationMin(inclusive = false) Duration diurnalPeriod = Duration.ofMinutes(1);
    }

    static final class Groups {
        public @Min(0) @Max(100_000) int count = 0;
        public SizeRange size; // null: 8, or users when fewer; at most 1024 and users, checked by the loader
        public @DecimalMin("0") @DecimalMax("100") double changesPerSecond = 0;
    }

    static final class Contacts {
        public @Min(0) @Max(1024) int perUser = 0; // and below users, checked by the loader
        public @DecimalMin("0.1") @DecimalMax("3") double exponent = 1;
    }

    static final class Presence {
        public @Min(0) @Max(1024) int subscriptionsPerUser = 0; // and below users, checked by the loader
    }

    static final class Churn {
        public @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double online = 1;
        public @DurationMin(inclusive = false) Duration sessionLength = Duration.ofMinutes(5);
    }

    static final class Devices {
        public @DecimalMin("0") @DecimalMax("1") double background = 0;
        public @DurationMin(inclusive = false) Duration idleAfter = Scenario.Devices.IDLE_AFTER_DEFAULT;
        public @DurationMin(inclusive = false) Duration wakeDelay = Scenario.Devices.WAKE_DELAY_DEFAULT;
        public @DurationMin(inclusive = false) Duration wakeDelayP95 = Scenario.Devices.WAKE_DELAY_P95_DEFAULT;
    }

    static final class Variant {
        public @JsonPropertyDescription(NAME_TEXT) @NotNull(message = NO_NAME) @Pattern(regexp = NAME) String name;
        public JsonNode server;
        public Encryption encryption; // null: the scenario's
        public Codec codec; // null: the scenario's
        public Transport transport; // null: the scenario's
    }

    static final class Fault {
        public @NotNull(
                message =
                        "missing: every fault needs a kind: kill, restart, storm, network, partition, slowReaders or diskFull")
        FaultKind kind;
        public @NotNull(message = "missing: every fault needs a time: at") Duration at;
        public @JsonProperty("for") Duration lasting = Duration.ZERO; // a Java keyword, hence the field's name
        public @Pattern(regexp = "good-mobile|bad-mobile") String profile; // network only, checked by the loader
        // slowReaders only, checked by the loader: the share of devices that read slowly, and at how many bytes a
        // second
        public @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double share;
        public @Pattern(regexp = "[1-9][0-9]{0,8}(B|KB)", message = "expected bytes a second such as 8KB or 500B")
        String rate;
    }

    /** A size {@code N} (the range {@code N..N}) or a range {@code MIN..MAX}; longs, so a bad size shows as written. */
    record SizeRange(long min, long max) {
        static SizeRange of(long size) {
            return new SizeRange(size, size);
        }

        static SizeRange parse(String text) {
            Matcher matcher = SIZE.matcher(text);
            if (!matcher.matches()) {
                throw new IllegalArgumentException(text);
            }
            long min = Long.parseLong(matcher.group(1));
            return new SizeRange(min, matcher.group(2) == null ? min : Long.parseLong(matcher.group(2)));
        }
    }

    /** Reads {@code 500ms}, {@code 30s}, {@code 2m} and a bare {@code 0}. */
    static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (text.equals("0")) {
            return Duration.ZERO;
        } else if (!matcher.matches()) {
            throw new IllegalArgumentException(text);
        }
        long amount = Long.parseLong(matcher.group(1));
        try {
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** The fields of the file or of one of its sections, in the file's order. */
    static List<Field> fields(Class<?> section) {
        return Arrays.stream(section.getDeclaredFields())
                .filter(field -> Modifier.isPublic(field.getModifiers()) && !Modifier.isStatic(field.getModifiers()))
                .toList();
    }

    static List<String> names(Class<?> section) {
        return fields(section).stream().map(Field::getName).toList();
    }

    /** A mapping of fields of its own: the file, {@code messages}, a variant. */
    static boolean isSection(Class<?> type) {
        return !fields(type).isEmpty();
    }

    /** A value written on its own (a number, a duration, a name), not a section, a list or server settings. */
    static boolean single(Class<?> type) {
        return !isSection(type) && !List.class.isAssignableFrom(type) && !JsonNode.class.isAssignableFrom(type);
    }

    /** The field {@code name} of a section, or null. */
    static Field field(Class<?> section, String name) {
        return fields(section).stream()
                .filter(field -> field.getName().equals(name))
                .findFirst()
                .orElse(null);
    }
}
