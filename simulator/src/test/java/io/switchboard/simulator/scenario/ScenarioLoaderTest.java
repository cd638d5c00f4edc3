package io.switchboard.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import io.switchboard.simulator.scenario.Scenario.Transport;
import io.switchboard.simulator.scenario.Scenario.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
    private static final String FULL = """
            # Question: does sharded routing keep p99 under 50ms at 1k msgs/s?
            name: quickstart
            seed: 42
            users: 200
            transport: websocket
            duration: 20s
            warmup: 500ms
            drain: 1m
            messages:
              rate: 1000
              bodyBytes: 128
              readShare: 0.25
              readDelay: 3s
            churn:
              online: 0.05
              sessionLength: 2m
            server:
              router:
                shards: 2
              router.routing: sharded
              metrics.enabled: false
            variants:
              - name: sharded
                server: {router.routing: sharded}
              - name: locked
                server:
                  router: {routing: locked}
              - name: plain
            slo:
              - p99 < 50ms
              - ack.p99 <= 1.5ms
              - max < 2s
              - p50 >= 10us
              - lost == 0
              - deliveredPerSec > 900
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void shouldLoadEveryValueOfAFullFile() throws IOException {
        Path file = write("full.yaml", FULL);

        Scenario scenario = ScenarioLoader.load(file, Map.of());

        assertThat(scenario.file()).isEqualTo(file);
        assertThat(scenario.name()).isEqualTo("quickstart");
        assertThat(scenario.question()).isEqualTo("does sharded routing keep p99 under 50ms at 1k msgs/s?");
        assertThat(scenario.seed()).isEqualTo(42);
        assertThat(scenario.users()).isEqualTo(200);
        assertThat(scenario.transport()).isEqualTo(Transport.WEBSOCKET);
        assertThat(scenario.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(scenario.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(scenario.drain()).isEqualTo(Duration.ofMinutes(1));
        assertThat(scenario.messages())
                .isEqualTo(new Scenario.Messages(
                        1000, 128, 128, 0.25, Duration.ofSeconds(3), 0.0, 0.0, 0.0, 102400, 102400));
        assertThat(scenario.churn()).isEqualTo(new Scenario.Churn(0.05, Duration.ofMinutes(2)));
        assertThat(scenario.server())
                .containsExactly(
                        entry("router.shards", "2"),
                        entry("router.routing", "sharded"),
                        entry("metrics.enabled", "false"));
        assertThat(scenario.variants())
                .containsExactly(
                        new Variant("sharded", Map.of("router.routing", "sharded")),
                        new Variant("locked", Map.of("router.routing", "locked")),
                        new Variant("plain", Map.of()));
        assertThat(scenario.slos())
                .containsExactly(
                        new Slo("p99 < 50ms", "p99", Slo.Comparison.LT, 50_000),
                        new Slo("ack.p99 <= 1.5ms", "ack.p99", Slo.Comparison.LE, 1_500),
                        new Slo("max < 2s", "max", Slo.Comparison.LT, 2_000_000),
                        new Slo("p50 >= 10us", "p50", Slo.Comparison.GE, 10),
                        new Slo("lost == 0", "lost", Slo.Comparison.EQ, 0),
                        new Slo("deliveredPerSec > 900", "deliveredPerSec", Slo.Comparison.GT, 900));
    }

    @Test
    void shouldApplyTheDocumentedDefaults() throws IOException {
        Path file = write("defaults-only.yaml", "# Question: what do the defaults give?\n");

        Scenario scenario = ScenarioLoader.load(file);

        assertThat(scenario.name()).isEqualTo("defaults-only");
        assertThat(scenario.question()).isEqualTo("what do the defaults give?");
        assertThat(scenario.seed()).isEqualTo(1);
        assertThat(scenario.users()).isEqualTo(100);
        assertThat(scenario.devicesPerUser()).isEqualTo(1);
        assertThat(scenario.transport()).isEqualTo(Transport.WEBSOCKET);
        assertThat(scenario.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(scenario.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(scenario.drain()).isEqualTo(Duration.ofSeconds(10));
        assertThat(scenario.messages())
                .isEqualTo(new Scenario.Messages(1000, 100, 100, 0.5, Duration.ZERO, 0.0, 0.0, 0.0, 102400, 102400));
        assertThat(scenario.churn()).isEqualTo(new Scenario.Churn(1, Duration.ofMinutes(5)));
        assertThat(scenario.churn().churns()).isFalse();
        assertThat(scenario.groups()).isEqualTo(new Scenario.Groups(0, 8, 8));
        assertThat(scenario.presence()).isEqualTo(new Scenario.Presence(0));
        assertThat(scenario.contacts()).isEqualTo(new Scenario.Contacts(0, 1.0));
        assertThat(scenario.curve()).isEqualTo(new Scenario.Curve(Duration.ZERO, 0, Duration.ofMinutes(1)));
        assertThat(scenario.server()).isEmpty();
        assertThat(scenario.variants()).isEmpty();
        assertThat(scenario.slos()).isEmpty();
    }

    @Test
    void shouldDefaultEachFieldOfAPartialMessagesMappingAndAcceptEmptyGroups() throws IOException {
        Path file = write("partial.yaml", "# q\nmessages:\n  rate: 5\nserver:\nvariants:\nslo:\nwarmup: 0\n");

        Scenario scenario = ScenarioLoader.load(file);

        assertThat(scenario.messages())
                .isEqualTo(new Scenario.Messages(5, 100, 100, 0.5, Duration.ZERO, 0.0, 0.0, 0.0, 102400, 102400));
        assertThat(scenario.server()).isEmpty();
        assertThat(scenario.variants()).isEmpty();
        assertThat(scenario.slos()).isEmpty();
        assertThat(scenario.warmup()).isZero();
    }

    @Test
    void shouldLoadGroupsPresenceAndTyping() throws IOException {
        Path file = write("groups.yaml", """
                # Question: groups?
                users: 2000
                messages: {groupShare: 0.25, typingShare: 0.1}
                groups:
                  count: 40
                  size: 8..1024
                  changesPerSecond: 2.5
                presence: {subscriptionsPerUser: 4}
                contacts: {perUser: 20, exponent: 1.5}
                curve: {rampUp: 10s, diurnalAmplitude: 0.3, diurnalPeriod: 2m}
                """);

        Scenario scenario = ScenarioLoader.load(file, Map.of());

        assertThat(scenario.messages().groupShare()).isEqualTo(0.25);
        assertThat(scenario.messages().typingShare()).isEqualTo(0.1);
        assertThat(scenario.groups()).isEqualTo(new Scenario.Groups(40, 8, 1024, 2.5));
        assertThat(scenario.presence()).isEqualTo(new Scenario.Presence(4));
        assertThat(scenario.contacts()).isEqualTo(new Scenario.Contacts(20, 1.5));
        assertThat(scenario.curve()).isEqualTo(new Scenario.Curve(Duration.ofSeconds(10), 0.3, Duration.ofMinutes(2)));
        assertThat(ScenarioLoader.load(file, Map.of("groups.size", "32", "groups.count", "3"))
                        .groups())
                .isEqualTo(new Scenario.Groups(3, 32, 32, 2.5));
        assertThat(ScenarioLoader.load(file, Map.of("groups.changesPerSecond", "0"))
                        .groups()
                        .changesPerSecond())
                .isZero();
    }

    @Test
    void shouldJoinAMultiLineQuestionAndAcceptOneWithoutPrefix() throws IOException {
        Path multi = write(
                "multi.yaml",
                "\n#   Question:  how does p99 change\n# from 1k to 10k msgs/s?\n#\n\n# not the question\nusers: 2\n");
        Path plain = write("plain.yaml", "## Is locked routing slower?\nusers: 2\n");

        assertThat(ScenarioLoader.load(multi).question()).isEqualTo("how does p99 change from 1k to 10k msgs/s?");
        assertThat(ScenarioLoader.load(plain).question()).isEqualTo("Is locked routing slower?");
    }

    @Test
    void shouldLoadDevicesPerUserAndHoldWebSocketRunsToTheirDeviceBound() throws IOException {
        Path file = write("devices.yaml", "# q\nusers: 4500\ndevicesPerUser: 2\n");

        assertThat(ScenarioLoader.load(file).devicesPerUser()).isEqualTo(2);
        assertThat(ScenarioLoader.load(file, Map.of("devicesPerUser", "8", "transport", "in-process"))
                        .devicesPerUser())
                .isEqualTo(8);
        ScenarioException e = catchThrowableOfType(
                ScenarioException.class, () -> ScenarioLoader.load(file, Map.of("devicesPerUser", "3")));
        assertThat(e.getMessage())
                .isEqualTo(file + ": --set 'devicesPerUser': websocket transport holds at most 9,000 devices in one"
                        + " process (two sockets each, 20,000 open files), got 4,500 users × 3 devices each; use"
                        + " transport: in-process");
    }

    @Test
    void shouldLoadTheInProcessTransport() throws IOException {
        Path file = write("inproc.yaml", "# q\ntransport: in-process\n");

        assertThat(ScenarioLoader.load(file).transport()).isEqualTo(Transport.IN_PROCESS);
    }

    @Test
    void shouldLoadTheDirectTransport() throws IOException {
        Path file = write("direct.yaml", "# q\ntransport: direct\nserver: {router.routing: sharded}\n");

        assertThat(ScenarioLoader.load(file).transport()).isEqualTo(Transport.DIRECT);
    }

    /** Direct clients are I/O loops of the sharded router: a locked variant is refused on load, naming where. */
    @Test
    void shouldRefuseLockedRoutingOnTheDirectTransportNamingTheVariant() throws IOException {
        Path file = write("direct-locked.yaml", """
                # q
                transport: direct
                variants:
                  - name: sharded
                  - name: locked
                    server:
                      router: {routing: locked}
                """);

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

        assertThat(e).isNotNull();
        assertThat(e.field()).hasValue("variants[1].server");
        assertThat(e.line()).hasValue(7);
        assertThat(e.getMessage()).contains("transport: direct runs on sharded routing only");
        assertThat(catchThrowableOfType(
                        ScenarioException.class, () -> ScenarioLoader.load(file, Map.of("transport", "in-process"))))
                .as("locked routing runs over in-process")
                .isNull();
    }

    /** A variant may name its own transport, so one run compares the direct transport, in-process and sockets. */
    @Test
    void shouldLoadAVariantsOwnTransport() throws IOException {
        Path file = write("layers.yaml", """
                # q
                transport: direct
                variants:
                  - name: direct
                  - name: inproc
                    transport: in-process
                  - name: ws
                    transport: websocket
                    server: {router.routing: locked}
                """);

        Scenario scenario = ScenarioLoader.load(file);

        assertThat(scenario.variants())
                .extracting(scenario::transportOf)
                .containsExactly(Transport.DIRECT, Transport.IN_PROCESS, Transport.WEBSOCKET);
        assertThat(scenario.forVariant(scenario.variants().get(1)).transport()).isEqualTo(Transport.IN_PROCESS);
        assertThat(scenario.forVariant(scenario.variants().get(0)).transport()).isEqualTo(Transport.DIRECT);
    }

    /**
     * {@code --variant} keeps the variants it names, and only those are checked against the rest of the scenario:
     * 20,000 users are too many for the websocket variant, not for the direct one chosen alone. An error in a chosen
     * variant still names its own line, and a name the scenario lacks is refused with the names it has.
     */
    @Test
    void shouldCheckOnlyTheVariantsChosen() throws IOException {
        Path file = write("chosen.yaml", """
                # q
                users: 20000
                transport: direct
                variants:
                  - name: ws
                    transport: websocket
                  - name: direct
                  - name: locked
                    server: {router.routing: locked}
                """);

        assertThat(catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file)))
                .as("every variant checked")
                .hasMessageContaining("websocket transport holds at most 9,000 devices");
        Scenario direct = ScenarioLoader.load(file, Map.of(), false, 1, List.of("direct"));
        assertThat(direct.variants()).extracting(Scenario.Variant::name).containsExactly("direct");
        ScenarioException locked = catchThrowableOfType(
                ScenarioException.class, () -> ScenarioLoader.load(file, Map.of(), false, 1, List.of("locked")));
        assertThat(locked.field()).hasValue("variants[2].server");
        assertThat(locked.line()).hasValue(9);
        assertThat(locked.getMessage()).contains("transport: direct runs on sharded routing only");
        assertThat(catchThrowableOfType(
                        ScenarioException.class, () -> ScenarioLoader.load(file, Map.of(), false, 1, List.of("nope"))))
                .hasMessage(file + ": --variant nope: the scenario has the variants ws, direct, locked");
    }

    /** A variant of its own transport is checked as such: locked routing on a variant's direct transport is refused. */
    @Test
    void shouldRefuseLockedRoutingOnAVariantsOwnDirectTransport() throws IOException {
        Path file = write("variant-direct-locked.yaml", """
                # q
                variants:
                  - name: ws
                    server: {router.routing: locked}
                  - name: direct
                    transport: direct
                    server: {router.routing: locked}
                """);

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

        assertThat(e).isNotNull();
        assertThat(e.field()).hasValue("variants[1].server");
        assertThat(e.getMessage()).contains("transport: direct runs on sharded routing only");
    }

    @Test
    void shouldLoadCeilingRoutingOnTheDirectTransportForOneToOneTraffic() throws IOException {
        Path file = write("ceiling.yaml", """
                # q
                transport: direct
                messages: {rate: 1000, readShare: 0}
                variants:
                  - name: ceiling
                    server: {router.routing: ceiling}
                  - name: sharded
                  - name: ws
                    transport: websocket
                """);

        assertThat(ScenarioLoader.load(file).variants()).hasSize(3);
    }

    /**
     * Ceiling routing keeps no queue, unread lists, groups, presence, keys or device lists, and reads its clients'
     * outbox rings: what a scenario would need of those is refused on load, naming the field, not found out in a run.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "transport=websocket      | variants[0].server.router.routing | runs on transport: direct only",
                "messages.readShare=0.3   | messages.readShare                | keeps no unread lists",
                "groups.count=2           | groups.count                      | keeps no groups",
                "churn.online=0.8         | churn.online                      | keeps no offline queue",
                "devicesPerUser=2         | devicesPerUser                    | keeps no device lists",
                "messages.typingShare=0.1 | messages.typingShare              | relays no typing",
                "presence.subscriptionsPerUser=2 | presence.subscriptionsPerUser | keeps no presence",
                "encryption=signal        | encryption                        | serves no keys",
                "devices.background=0.5   | devices.background                | pushes to no phone",
            })
    void shouldRefuseWhatCeilingRoutingCannotDo(String override, String field, String why) throws IOException {
        Path file = write("ceiling.yaml", """
                # q
                transport: direct
                messages: {rate: 1000, readShare: 0, bodyBytes: 100}
                variants:
                  - name: ceiling
                    server: {router.routing: ceiling}
                  - name: sharded
                """);
        String[] set = override.split("=", 2);
        assertThat(catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file)))
                .as("loads without the override")
                .isNull();

        ScenarioException e =
                catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file, Map.of(set[0], set[1])));

        assertThat(e).as(override).isNotNull();
        assertThat(e.field()).hasValue(field);
        assertThat(e.getMessage()).contains("router.routing ceiling (variant 'ceiling') " + why);
    }

    /** Ceiling routing named scenario-wide, without variants, is refused off the direct transport too. */
    @Test
    void shouldRefuseScenarioWideCeilingRoutingOffTheDirectTransport() throws IOException {
        Path file = write("ceiling-inproc.yaml", "# q\ntransport: in-process\nserver: {router.routing: ceiling}\n");

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

        assertThat(e).isNotNull();
        assertThat(e.field()).hasValue("server.router.routing");
        assertThat(e.getMessage()).contains("router.routing ceiling runs on transport: direct only");
    }

    @Test
    void shouldLoadEncryptionForTheScenarioAndPerVariantAndAskRoomForTheDigest() throws IOException {
        Path file = write(
                "e2ee.yaml",
                "# q\nencryption: Signal\nmessages: {bodyBytes: 24}\nvariants:\n  - name: none\n    encryption: none\n"
                        + "  - name: same\n");

        Scenario scenario = ScenarioLoader.load(file);

        assertThat(scenario.encryption()).isEqualTo(Scenario.Encryption.SIGNAL);
        assertThat(scenario.variants())
                .extracting(Scenario.Variant::encryption)
                .containsExactly(Scenario.Encryption.NONE, null);
        assertThat(ScenarioLoader.load(write("plain.yaml", "# q\n")).encryption())
                .isEqualTo(Scenario.Encryption.NONE);
        ScenarioException e = catchThrowableOfType(
                ScenarioException.class,
                () -> ScenarioLoader.load(write(
                        "short.yaml",
                        "# q\nvariants: [{name: s, encryption: signal}]\n" + "messages: {bodyBytes: 16}\n")));
        assertThat(e.getMessage()).contains("'messages.bodyBytes': expected an integer in 24..65536, got '16'");
    }

    @Test
    void shouldGiveEachVariantTheScenariosCodecUnlessItNamesItsOwn() throws IOException {
        Path file = write(
                "codecs.yaml", "# q\ncodec: binary\nvariants:\n  - name: same\n  - name: json\n    codec: json\n");

        Scenario scenario = ScenarioLoader.load(file);

        assertThat(scenario.codec()).isEqualTo(Scenario.Codec.BINARY);
        assertThat(scenario.variants())
                .extracting(scenario::codecOf)
                .containsExactly(Scenario.Codec.BINARY, Scenario.Codec.JSON);
        assertThat(ScenarioLoader.load(write("plain.yaml", "# q\n")).codec()).isEqualTo(Scenario.Codec.JSON);
        assertThat(ScenarioLoader.load(file, Map.of("codec", "json")).codec()).isEqualTo(Scenario.Codec.JSON);
    }

    @Test
    void shouldClassifyEverySloQuantityAsALatencyOrACount() throws IOException {
        StringBuilder text = new StringBuilder("# q\nslo:\n");
        for (String quantity : Slo.QUANTITIES) {
            String unit = ScenarioLoader.LATENCY_QUANTITIES.contains(quantity) ? "ms" : "";
            text.append("  - ").append(quantity).append(" <= 3").append(unit).append('\n');
        }
        Path file = write("all.yaml", text.toString());

        List<Slo> slos = ScenarioLoader.load(file).slos();

        assertThat(slos).extracting(Slo::quantity).containsExactlyElementsOf(Slo.QUANTITIES);
        assertThat(slos)
                .allSatisfy(slo -> assertThat(slo.threshold())
                        .isEqualTo(ScenarioLoader.LATENCY_QUANTITIES.contains(slo.quantity()) ? 3_000 : 3));
    }

    @Test
    void shouldNameTheFileWhenItDoesNotExist() {
        Path missing = dir.resolve("missing.yaml");

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(missing));

        assertThat(e).hasMessage(missing + ": no such file");
    }

    @Test
    void shouldRefuseAFileNameThatIsNotAValidNameUnlessANameIsGiven() throws IOException {
        Path file = write("my scenario.yaml", "# q\n");

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

        assertThat(e.getMessage()).startsWith(file + ": field 'name': ").contains("'my scenario'");
        assertThat(ScenarioLoader.load(write("my scenario.yaml", "# q\nname: mine\n"))
                        .name())
                .isEqualTo("mine");
    }

    /** Each case: what is wrong, the file's text, the line and field the message must name, and a fragment of it. */
    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                invalid("no question", "name: x\n", 1, "question", "opens with a comment"),
                invalid("question after a field", "users: 5\n# Question: late?\n", 1, "question", "missing"),
                invalid("unknown top-level field", "# q\nusers: 5\nuzers: 5\n", 3, "uzers", "known fields: name, seed"),
                invalid(
                        "unknown messages field",
                        "# q\nmessages:\n  rat: 5\n",
                        3,
                        "messages.rat",
                        "known fields in 'messages': rate, bodyBytes, readShare, readDelay"),
                invalid(
                        "unknown variant field",
                        "# q\nvariants:\n  - name: a\n    sever: {a: b}\n",
                        4,
                        "variants[0].sever",
                        "known fields in 'variants[0]': name, server, encryption"),
                invalid(
                        "field given twice",
                        "# q\nseed: 1\nusers: 3\nseed: 2\n",
                        4,
                        "seed",
                        "given twice (also at line 2)"),
                invalid(
                        "phones in the background with a server process",
                        "# q\nserver: {mode: process}\ndevices:\n  background: 0.5\n",
                        4,
                        "devices.background",
                        "woken by the embedded server's sim pushes"),
                invalid(
                        "media with a server process",
                        "# q\nserver: {mode: process}\nmessages:\n  mediaShare: 0.2\n",
                        4,
                        "messages.mediaShare",
                        "media runs against the embedded server only"),
                invalid("bad name", "# q\nname: has space\n", 2, "name", "got 'has space'"),
                invalid("name too long", "# q\nname: " + "a".repeat(65) + "\n", 2, "name", "1 to 64"),
                invalid("seed not an integer", "# q\nseed: 1.5\n", 2, "seed", "expected an integer, got '1.5'"),
                invalid("too few users", "# q\nusers: 1\n", 2, "users", "expected an integer in 2..1000000, got '1'"),
                invalid("too many users", "# q\nusers: 1000001\n", 2, "users", "2..1000000"),
                invalid("users a list", "# q\nusers: [1, 2]\n", 2, "users", "expected a single value, got a list"),
                invalid("users empty", "# q\nusers:\nseed: 3\n", 2, "users", "no value given"),
                invalid("no devices", "# q\ndevicesPerUser: 0\n", 2, "devicesPerUser", "expected an integer in 1..8"),
                invalid("too many devices", "# q\ndevicesPerUser: 9\n", 2, "devicesPerUser", "got '9'"),
                invalid("devices not an integer", "# q\ndevicesPerUser: two\n", 2, "devicesPerUser", "got 'two'"),
                invalid(
                        "more websocket devices than open files allow",
                        "# q\nusers: 5000\ndevicesPerUser: 2\n",
                        3,
                        "devicesPerUser",
                        "at most 9,000 devices in one process (two sockets each, 20,000 open files), got 5,000 users"
                                + " × 2 devices each; use transport: in-process"),
                invalid(
                        "more websocket users than open files allow",
                        "# q\nusers: 9001\n",
                        2,
                        "users",
                        "at most 9,000 devices in one process"),
                invalid("unknown transport", "# q\ntransport: udp\n", 2, "transport", "websocket or in-process"),
                invalid("duration without unit", "# q\nduration: 20\n", 2, "duration", "got '20'"),
                invalid("zero duration", "# q\nduration: 0s\n", 2, "duration", "above 0"),
                invalid("unknown duration unit", "# q\nwarmup: 5h\n", 2, "warmup", "500ms, 5s or 2m"),
                invalid("negative drain", "# q\ndrain: -1s\n", 2, "drain", "got '-1s'"),
                invalid(
                        "rate not a number",
                        "# q\n\nmessages:\n  bodyBytes: 100\n  rate: fast\n",
                        5,
                        "messages.rate",
                        "expected a positive integer, got 'fast'"),
                invalid("zero rate", "# q\nmessages: {rate: 0}\n", 2, "messages.rate", "positive integer"),
                invalid("body too small", "# q\nmessages:\n  bodyBytes: 15\n", 3, "messages.bodyBytes", "16..65536"),
                invalid("body too large", "# q\nmessages:\n  bodyBytes: 65537\n", 3, "messages.bodyBytes", "16..65536"),
                invalid(
                        "body range below the floor",
                        "# q\nmessages:\n  bodyBytes: 8..100\n",
                        3,
                        "messages.bodyBytes",
                        "got '8'"),
                invalid(
                        "body range upside down",
                        "# q\nmessages:\n  bodyBytes: 200..100\n",
                        3,
                        "messages.bodyBytes",
                        "200..65536, got '100'"),
                invalid(
                        "read share above 1",
                        "# q\nmessages:\n  readShare: 1.5\n",
                        3,
                        "messages.readShare",
                        "from 0 to 1, got '1.5'"),
                invalid(
                        "read share not a number",
                        "# q\nmessages:\n  readShare: half\n",
                        3,
                        "messages.readShare",
                        "got 'half'"),
                invalid("messages a value", "# q\nmessages: 5\n", 2, "messages", "expected a mapping of rate"),
                invalid(
                        "group traffic without groups",
                        "# q\nmessages:\n  groupShare: 0.5\n",
                        3,
                        "messages.groupShare",
                        "needs groups"),
                invalid(
                        "typing share above 1",
                        "# q\nmessages: {typingShare: 2}\n",
                        2,
                        "messages.typingShare",
                        "from 0 to 1"),
                invalid(
                        "membership changes without groups",
                        "# q\ngroups:\n  changesPerSecond: 1\n",
                        3,
                        "groups.changesPerSecond",
                        "needs groups"),
                invalid(
                        "negative membership changes",
                        "# q\ngroups: {count: 2, changesPerSecond: -1}\n",
                        2,
                        "groups.changesPerSecond",
                        "from 0 to 100,"),
                invalid("too many groups", "# q\ngroups: {count: 100001}\n", 2, "groups.count", "0..100000"),
                invalid(
                        "group larger than the server allows",
                        "# q\nusers: 2000\ngroups:\n  count: 1\n  size: 1025\n",
                        5,
                        "groups.size",
                        "2..1024"),
                invalid("group larger than users", "# q\nusers: 10\ngroups: {size: 11}\n", 3, "groups.size", "2..10"),
                invalid("group of one", "# q\ngroups: {size: 1..8}\n", 2, "groups.size", "2..100, got '1'"),
                invalid(
                        "group size range reversed",
                        "# q\ngroups: {size: 50..10}\n",
                        2,
                        "groups.size",
                        "50..100, got '10'"),
                invalid(
                        "group size not a size",
                        "# q\ngroups: {size: large}\n",
                        2,
                        "groups.size",
                        "a size N or a range MIN..MAX"),
                invalid(
                        "unknown groups field",
                        "# q\ngroups: {sizes: 5}\n",
                        2,
                        "groups.sizes",
                        "known fields in 'groups': count, size"),
                invalid(
                        "diurnal amplitude above 1",
                        "# q\ncurve: {diurnalAmplitude: 1.5}\n",
                        2,
                        "curve.diurnalAmplitude",
                        "from 0 to 1"),
                invalid(
                        "zero diurnal period",
                        "# q\ncurve: {diurnalPeriod: 0s}\n",
                        2,
                        "curve.diurnalPeriod",
                        "above 0"),
                invalid(
                        "contacts exponent out of range",
                        "# q\ncontacts: {perUser: 5, exponent: 5}\n",
                        2,
                        "contacts.exponent",
                        "from 0.1 to 3, got '5'"),
                invalid(
                        "more contacts than other users",
                        "# q\nusers: 10\ncontacts: {perUser: 10}\n",
                        3,
                        "contacts.perUser",
                        "0..9"),
                invalid(
                        "more subscriptions than other users",
                        "# q\nusers: 10\npresence: {subscriptionsPerUser: 10}\n",
                        3,
                        "presence.subscriptionsPerUser",
                        "0..9"),
                invalid("nobody online", "# q\nchurn:\n  online: 0\n", 3, "churn.online", "above 0 and at most 1"),
                invalid("online above 1", "# q\nchurn:\n  online: 1.5\n", 3, "churn.online", "got '1.5'"),
                invalid(
                        "zero session length",
                        "# q\nchurn:\n  sessionLength: 0s\n",
                        3,
                        "churn.sessionLength",
                        "above 0"),
                invalid(
                        "unknown churn field",
                        "# q\nchurn:\n  onlin: 0.1\n",
                        3,
                        "churn.onlin",
                        "known fields in 'churn': online, sessionLength"),
                invalid("server a list", "# q\nserver:\n  - router.shards: 2\n", 3, "server", "expected a mapping"),
                invalid(
                        "server setting a list",
                        "# q\nserver:\n  router:\n    shards: [1, 2]\n",
                        4,
                        "server.router.shards",
                        "single value"),
                invalid(
                        "server setting empty",
                        "# q\nserver:\n  router.shards:\n",
                        3,
                        "server.router.shards",
                        "no value given"),
                invalid(
                        "server setting twice, nested and dotted",
                        "# q\nserver:\n  router: {shards: 2}\n  router.shards: 3\n",
                        4,
                        "server.router.shards",
                        "given twice (also at line 3)"),
                invalid("variants a mapping", "# q\nvariants:\n  a: b\n", 3, "variants", "expected a list of variants"),
                invalid(
                        "variant without a name",
                        "# q\nvariants:\n  - name: a\n  - server: {x: y}\n",
                        4,
                        "variants[1].name",
                        "every variant needs a name"),
                invalid(
                        "duplicate variant names",
                        "# q\nvariants:\n  - name: a\n  - name: b\n  - name: a\n",
                        5,
                        "variants[2].name",
                        "duplicate variant name 'a' (also at line 3)"),
                invalid("bad variant name", "# q\nvariants:\n  - name: a/b\n", 3, "variants[0].name", "got 'a/b'"),
                invalid(
                        "variant server setting a list",
                        "# q\nvariants:\n  - name: a\n    server: {router.shards: [1]}\n",
                        4,
                        "variants[0].server.router.shards",
                        "single value"),
                invalid("slo a value", "# q\nslo: p99 < 5ms\n", 2, "slo", "expected a list of objectives"),
                invalid(
                        "unknown slo quantity",
                        "# q\nslo:\n  - lost == 0\n  - p98 < 5ms\n",
                        4,
                        "slo[1]",
                        "unknown quantity 'p98'; known: p50"),
                invalid("unknown slo op", "# q\nslo:\n  - p99 != 5ms\n", 3, "slo[0]", "unknown comparison '!='"),
                invalid("slo latency unit unknown", "# q\nslo:\n  - p99 < 5ns\n", 3, "slo[0]", "unknown unit 'ns'"),
                invalid("slo latency without unit", "# q\nslo:\n  - p99 < 5\n", 3, "slo[0]", "give a unit"),
                invalid("slo count with a unit", "# q\nslo:\n  - lost == 0ms\n", 3, "slo[0]", "'lost' is a count"),
                invalid("slo threshold not a number", "# q\nslo:\n  - p99 < fast\n", 3, "slo[0]", "expected a number"),
                invalid(
                        "slo not an objective",
                        "# q\nslo:\n  - fast please\n",
                        3,
                        "slo[0]",
                        "'<quantity> <op> <number>[unit]'"),
                invalid("slo written as a mapping", "# q\nslo:\n  - p99: < 5ms\n", 3, "slo[0]", "': '"),
                invalid("empty objective", "# q\nslo:\n  - lost == 0\n  -\n", 4, "slo[1]", "no value given"),
                invalid("empty variant", "# q\nvariants:\n  -\n", 3, "variants[0]", "no value given"),
                invalid("variant not a mapping", "# q\nvariants: [a]\n", 2, "variants[0]", "a mapping of name, server"),
                invalid("integer with underscores", "# q\nusers: 1_000\n", 2, "users", "got '1_000'"),
                invalid("integer written as a decimal", "# q\nusers: 100.0\n", 2, "users", "got '100.0'"),
                invalid("integer beyond int", "# q\nmessages: {rate: 99999999999}\n", 2, "messages.rate", "positive"),
                invalid("share not a number", "# q\nmessages: {readShare: .nan}\n", 2, "messages.readShare", "0 to 1"),
                invalid("empty quoted integer", "# q\nusers: ''\n", 2, "users", "got ''"),
                invalid("duration with a space", "# q\nwarmup: 5 h\n", 2, "warmup", "(0 for none)"),
                invalid(
                        "body bytes as a mapping",
                        "# q\nmessages:\n  bodyBytes: {min: 16}\n",
                        3,
                        "messages.bodyBytes",
                        "expected a single value, got a mapping"),
                invalid("server a value", "# q\nserver: 5\n", 2, "server", "expected a mapping of server settings"),
                invalid(
                        "dotted field outside server",
                        "# q\nmessages.rate: 5\n",
                        2,
                        "messages.rate",
                        "unknown field; known fields: name, seed"),
                invalid(
                        "unknown field of a block mapping",
                        "# q\nvariants:\n  - name: a\n    sever:\n      a: b\n",
                        4,
                        "variants[0].sever",
                        "known fields in 'variants[0]'"),
                invalid(
                        "alias of a single value",
                        "# q\nseed: &s 5\nusers: *s\n",
                        3,
                        "users",
                        "*s names no list or mapping anchored before it"));
    }

    private static Arguments invalid(String what, String text, int line, String field, String fragment) {
        return Arguments.of(what, text, line, field, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void shouldRefuseAnInvalidFileNamingFileLineAndField(
            String what, String text, int line, String field, String fragment) throws IOException {
        Path file = write("bad.yaml", text);

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

        assertThat(e).as(what).isNotNull();
        assertThat(e.getMessage()).startsWith(file + " line " + line + ": field '" + field + "': ");
        assertThat(e.getMessage()).contains(fragment);
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.line()).hasValue(line);
        assertThat(e.field()).hasValue(field);
        assertThat(e.fromOverride()).isFalse();
    }

    /**
     * A growth objective samples the server's heap and journal directory: of an embedded server or a server process
     * the run started, not of one it reaches with --target.
     */
    @Test
    void shouldTakeAGrowthObjectiveForAServerProcessButNotForATarget() throws IOException {
        Path process = write("soak.yaml", "# q\nserver: {mode: process}\nslo:\n  - heapGrowthPct < 10\n");
        assertThat(ScenarioLoader.load(process).slos())
                .singleElement()
                .extracting(Slo::quantity)
                .isEqualTo("heapGrowthPct");

        Path target = write("target.yaml", "# q\nslo:\n  - lost == 0\n  - journalGrowthPct < 10\n");
        ScenarioException e =
                catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(target, Map.of(), true));
        assertThat(e.field()).hasValue("slo[1]");
        assertThat(e.getMessage()).contains("journalGrowthPct samples the server's heap and journal directory");
    }

    @Test
    void shouldReportBrokenYamlWithItsLine() throws IOException {
        Path file = write("broken.yaml", "# q\nusers: 5\nmessages:\n  rate: [1, 2\n");

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

        assertThat(e.getMessage()).startsWith(file + " line ").contains("not valid YAML");
        assertThat(e.line()).isPresent();
    }

    @Test
    void shouldRefuseATopLevelThatIsNotAMapping() throws IOException {
        Path file = write("list.yaml", "# q\n- users: 5\n");

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

        assertThat(e).hasMessage(file + " line 2: expected a mapping of scenario fields, got a list");
    }

    /**
     * Found by ScenarioLoaderFuzzTest: a document that is only a null bound to no object, and Bean Validation threw
     * IllegalArgumentException on it.
     */
    @Test
    void shouldRefuseATopLevelThatIsNull() throws IOException {
        for (String text : List.of("# q\n~\n", "# q\nnull\n", "# [\n &1\n")) {
            Path file = write("null.yaml", text);

            ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

            assertThat(e).as(text).hasMessage(file + " line 2: expected a mapping of scenario fields, got nothing");
        }
    }

    @Test
    void shouldApplyOverridesOverTheFile() throws IOException {
        Path file = write("full.yaml", FULL);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("messages.rate", "500");
        overrides.put("duration", "10s");
        overrides.put("seed", "7");
        overrides.put("server.router.shards", "1");
        overrides.put("server.transport.ioThreads", "3");
        overrides.put("users", "50");
        overrides.put("messages.readShare", "1");
        overrides.put("transport", "in-process");
        overrides.put("churn.online", "0.1");
        overrides.put("name", "renamed");

        Scenario scenario = ScenarioLoader.load(file, overrides);

        assertThat(scenario.messages())
                .isEqualTo(new Scenario.Messages(
                        500, 128, 128, 1.0, Duration.ofSeconds(3), 0.0, 0.0, 0.0, 102400, 102400));
        assertThat(scenario.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(scenario.seed()).isEqualTo(7);
        assertThat(scenario.users()).isEqualTo(50);
        assertThat(scenario.transport()).isEqualTo(Transport.IN_PROCESS);
        assertThat(scenario.churn()).isEqualTo(new Scenario.Churn(0.1, Duration.ofMinutes(2)));
        assertThat(scenario.name()).isEqualTo("renamed");
        assertThat(scenario.server())
                .containsExactly(
                        entry("router.shards", "1"),
                        entry("router.routing", "sharded"),
                        entry("metrics.enabled", "false"),
                        entry("transport.ioThreads", "3"));
        assertThat(scenario.variants()).hasSize(3);
    }

    /**
     * A variant's own setting wins for its run, so a {@code --set} of the same key would not be measured there: refused,
     * naming the variant and its value, unless the run leaves out every variant that sets the key.
     */
    @Test
    void shouldRefuseAServerOverrideThatAVariantOfTheRunSetsItself() throws IOException {
        Path file = write("full.yaml", FULL);
        Map<String, String> routing = Map.of("server.router.routing", "locked");

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file, routing));

        assertThat(e.getMessage())
                .isEqualTo(file + ": --set 'server.router.routing': variant 'sharded' sets router.routing itself"
                        + " (sharded), which wins for its run; set the variant's with --set"
                        + " variants.sharded.server.router.routing=..., or choose the variants that do not set it with"
                        + " --variant");
        assertThat(e.fromOverride()).isTrue();
        assertThat(e.field()).hasValue("server.router.routing");
        Scenario plain = ScenarioLoader.load(file, routing, false, 1, List.of("plain"));
        assertThat(plain.server()).containsEntry("router.routing", "locked");
        assertThat(plain.variants()).extracting(Scenario.Variant::name).containsExactly("plain");
    }

    /** {@code --set variants.<name>.server.<key>} changes that variant's setting only, over the file's. */
    @Test
    void shouldApplyAVariantsServerOverrideToThatVariantOnly() throws IOException {
        Path file = write("full.yaml", FULL);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("variants.sharded.server.router.routing", "locked");
        overrides.put("variants.plain.server.router.outboxHighBytes", "8m");
        overrides.put("server.router.routing", "sharded");

        Scenario scenario = ScenarioLoader.load(file, overrides, false, 1, List.of("sharded", "plain"));

        assertThat(scenario.variants())
                .extracting(Scenario.Variant::server)
                .containsExactly(Map.of("router.routing", "locked"), Map.of("router.outboxHighBytes", "8m"));
        assertThat(scenario.server()).containsEntry("router.routing", "sharded");
    }

    /** A variant's override for a variant the run leaves out would change nothing the run measures. */
    @Test
    void shouldRefuseAVariantOverrideForAVariantNotInTheRun() throws IOException {
        Path file = write("full.yaml", FULL);
        Map<String, String> locked = Map.of("variants.locked.server.router.shards", "1");

        ScenarioException e = catchThrowableOfType(
                ScenarioException.class, () -> ScenarioLoader.load(file, locked, false, 1, List.of("sharded")));

        assertThat(e.getMessage())
                .isEqualTo(file + ": --set 'variants.locked.server.router.shards': variant 'locked' is not in this run"
                        + " (--variant)");
    }

    @Test
    void shouldApplyOverridesToFieldsTheFileLeavesOut() throws IOException {
        Path file = write("small.yaml", "# q\n");

        Scenario scenario = ScenarioLoader.load(file, Map.of("messages.bodyBytes", "64", "warmup", "0"));

        assertThat(scenario.messages().bodyBytes()).isEqualTo(64);
        assertThat(scenario.warmup()).isZero();
    }

    @Test
    void shouldReadABodySizeRange() throws IOException {
        Path file = write("sizes.yaml", "# q\nmessages:\n  bodyBytes: 32..4096\n");

        Scenario.Messages messages = ScenarioLoader.load(file, Map.of()).messages();

        assertThat(messages.bodyBytes()).isEqualTo(32);
        assertThat(messages.maxBodyBytes()).isEqualTo(4096);
        assertThat(ScenarioLoader.load(file, Map.of("messages.bodyBytes", "100"))
                        .messages()
                        .maxBodyBytes())
                .as("one size is a range of one")
                .isEqualTo(100);
    }

    static Stream<Arguments> badOverrides() {
        return Stream.of(
                Arguments.of(
                        "messages.rat", "5", "--set 'messages.rat': unknown field; known fields in 'messages': rate"),
                Arguments.of("usrs", "5", "--set 'usrs': unknown field; fields --set can change: name, seed"),
                Arguments.of("question", "why", "--set 'question': unknown field"),
                Arguments.of("messages", "5", "--set 'messages': name one of its fields"),
                Arguments.of("server", "x", "--set 'server': name a server setting"),
                Arguments.of("variants", "x", "--set 'variants': lists cannot be changed"),
                Arguments.of("slo", "p99 < 5ms", "--set 'slo': lists cannot be changed"),
                Arguments.of("messages.rate", "fast", "--set 'messages.rate': expected a positive integer, got 'fast'"),
                Arguments.of("users", "1", "--set 'users': expected an integer in 2..1000000, got '1'"),
                Arguments.of("devicesPerUser", "0", "--set 'devicesPerUser': expected an integer in 1..8, got '0'"),
                Arguments.of("duration", "10", "--set 'duration': expected a duration above 0"),
                Arguments.of("transport", "udp", "--set 'transport': expected websocket or in-process"),
                Arguments.of("name", "a b", "--set 'name': expected 1 to 64"),
                Arguments.of("groups.sizes", "5", "--set 'groups.sizes': unknown field; known fields in 'groups'"),
                Arguments.of(
                        "groups.changesPerSecond",
                        "often",
                        "--set 'groups.changesPerSecond': expected a number from 0 to 100, got 'often'"),
                Arguments.of("presence.x", "5", "--set 'presence.x': unknown field; known fields in 'presence'"),
                Arguments.of("groups.size", "0", "--set 'groups.size': expected an integer in 2..200, got '0'"),
                Arguments.of("server.router.shards", " ", "--set 'server.router.shards': no value given"),
                Arguments.of("messages.rate", "", "--set 'messages.rate': expected a positive integer, got ''"),
                Arguments.of("warmup", "", "--set 'warmup': expected a duration such as 500ms"),
                Arguments.of("churn", "x", "--set 'churn': name one of its fields: churn.online, churn.sessionLength"),
                Arguments.of("users.x", "5", "--set 'users.x': unknown field; fields --set can change"),
                Arguments.of("variants[0].name", "x", "--set 'variants[0].name': lists cannot be changed"),
                Arguments.of(
                        "variants.fast.server.router.shards",
                        "1",
                        "--set 'variants.fast.server.router.shards': no variant 'fast'; the scenario has sharded,"
                                + " locked, plain"),
                Arguments.of("variants.plain.server.", "1", "--set 'variants.plain.server.': lists cannot be changed"),
                Arguments.of(
                        "messages.bodyBytes", "8..64", "--set 'messages.bodyBytes': expected an integer in 16..65536"),
                Arguments.of("churn.online", "0", "--set 'churn.online': expected a number above 0 and at most 1"));
    }

    @ParameterizedTest(name = "--set {0}={1}")
    @MethodSource("badOverrides")
    void shouldRefuseABadOverrideNamingSetAndTheField(String key, String value, String expected) throws IOException {
        Path file = write("ok.yaml", FULL);

        ScenarioException e =
                catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file, Map.of(key, value)));

        assertThat(e.getMessage()).startsWith(file + ": " + expected);
        assertThat(e.fromOverride()).isTrue();
        assertThat(e.line()).isEmpty();
        assertThat(e.field()).hasValue(key);
    }

    @Test
    void shouldReadValuesAsWrittenWhetherQuotedOrNotAndAnyCaseOfTransport() throws IOException {
        Path file = write(
                "values.yaml",
                "# q\nseed: 010\nusers: \"200\"\ntransport: In-Process\nduration: 5 s\n"
                        + "messages: {readShare: .5, typingShare: 5e-1, bodyBytes: ' 32 .. 64 '}\nname: 'yes'\n");

        Scenario scenario = ScenarioLoader.load(file);

        assertThat(scenario.seed()).as("decimal, not octal").isEqualTo(10);
        assertThat(scenario.users()).isEqualTo(200);
        assertThat(scenario.transport()).isEqualTo(Transport.IN_PROCESS);
        assertThat(scenario.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(scenario.messages().readShare()).isEqualTo(0.5);
        assertThat(scenario.messages().typingShare()).isEqualTo(0.5);
        assertThat(scenario.messages().bodyBytes()).isEqualTo(32);
        assertThat(scenario.messages().maxBodyBytes()).isEqualTo(64);
        assertThat(scenario.name()).isEqualTo("yes");
    }

    @Test
    void shouldTakeAnEmptySectionAsLeftOut() throws IOException {
        Path file = write(
                "empty.yaml",
                "# q\nmessages:\ncurve:\ngroups:\ncontacts:\npresence:\nchurn:\nserver:\nvariants:\nslo:\n");

        Scenario scenario = ScenarioLoader.load(file);

        assertThat(scenario)
                .usingRecursiveComparison()
                .ignoringFields("file", "name")
                .isEqualTo(ScenarioLoader.load(write("bare.yaml", "# q\n")));
    }

    @Test
    void shouldFollowAnAnchoredMappingSharedByVariants() throws IOException {
        Path file = write("anchors.yaml", """
                # q
                server: &base {router.shards: 2, journal.type: memory}
                variants:
                  - name: a
                    server: *base
                  - name: b
                """);

        Scenario scenario = ScenarioLoader.load(file);

        assertThat(scenario.variants().get(0).server())
                .containsExactly(entry("router.shards", "2"), entry("journal.type", "memory"));
        assertThat(scenario.server()).isEqualTo(scenario.variants().get(0).server());
    }

    @Test
    void shouldApplyAnOverrideToASectionTheFileLeavesOutOrLeavesEmptyAndNotCheckTheValueItReplaces()
            throws IOException {
        Path file = write("sections.yaml", "# q\nusers: [1, 2]\nchurn:\n");

        Scenario scenario = ScenarioLoader.load(
                file, Map.of("users", "40", "churn.online", "0.5", "groups.count", "2", "messages.groupShare", "0.1"));

        assertThat(scenario.users()).isEqualTo(40);
        assertThat(scenario.churn()).isEqualTo(new Scenario.Churn(0.5, Duration.ofMinutes(5)));
        assertThat(scenario.groups()).isEqualTo(new Scenario.Groups(2, 8, 8));
        assertThat(scenario.messages().groupShare()).isEqualTo(0.1);
    }

    @Test
    void shouldRefuseASecondDocument() throws IOException {
        Path file = write("two.yaml", "# q\nusers: 5\n---\nusers: 6\n");

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(file));

        assertThat(e.getMessage()).startsWith(file + " line 4: not valid YAML: expected one document");
    }

    static Stream<Path> shippedScenarios() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "scenarios"))) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    /** docs/scenarios.md: every shipped scenario holds lost, duplicatesInSession and duplicatesToApp to 0. */
    @ParameterizedTest
    @MethodSource("shippedScenarios")
    void shouldLoadEveryShippedScenarioUnderItsFileNameWithAQuestionAndTheZeroLossObjectives(Path file) {
        Scenario scenario = ScenarioLoader.load(file);

        assertThat(file.getFileName().toString()).isEqualTo(scenario.name() + ".yaml");
        assertThat(scenario.question()).isNotBlank();
        assertThat(scenario.slos())
                .extracting(Slo::text)
                .contains("lost == 0", "duplicatesInSession == 0", "duplicatesToApp == 0");
    }

    @Test
    void shouldFindEveryShippedScenario() throws IOException {
        assertThat(shippedScenarios()).hasSizeGreaterThanOrEqualTo(10);
    }

    /** docs/scenarios.md has a row for every field ScenarioFile binds, so a field added to one is added to both. */
    @Test
    void shouldDocumentEveryFieldInTheFieldsTable() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "scenarios.md"));
        List<String> rows = new java.util.ArrayList<>();
        for (java.lang.reflect.Field field : ScenarioFile.fields(ScenarioFile.class)) {
            if (ScenarioFile.isSection(field.getType())) {
                ScenarioFile.names(field.getType()).forEach(name -> rows.add(field.getName() + "." + name));
            } else {
                rows.add(field.getName());
            }
        }

        assertThat(rows).hasSize(38).allSatisfy(row -> assertThat(docs).contains("\n| `" + row + "` |"));
    }
}
