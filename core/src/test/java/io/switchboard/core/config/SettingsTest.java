package io.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), text);
    }

    private static Properties properties(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    @Test
    void shouldFlattenNestedMappingsToDottedKeys() throws IOException {
        Settings settings = Settings.empty().withYaml(yaml("""
                        server:
                          host: 0.0.0.0
                        router: {shards: 3}
                        transport:
                          limits:
                            frame: 7
                        """));

        assertThat(settings.integer("router.shards", 1, 1, 1024)).isEqualTo(3);
        assertThat(settings.string("server.host", "x")).isEqualTo("0.0.0.0");
        assertThat(settings.integer("transport.limits.frame", 1, 1, 100)).isEqualTo(7);
    }

    @Test
    void shouldReturnDefaultsForAbsentKeysAndAcceptAnEmptyFile() throws IOException {
        Settings settings = Settings.empty().withYaml(yaml(""));

        assertThat(settings.integer("router.shards", 5, 1, 1024)).isEqualTo(5);
        assertThat(settings.string("server.host", "127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(settings.choice("router.routing", Routing.SHARDED)).isEqualTo(Routing.SHARDED);
    }

    @Test
    void shouldNameKeyFileLineAndRangeForAnOutOfRangeValue() throws IOException {
        Settings settings = Settings.empty().withYaml(yaml("""
                server:
                  port: 8080
                router:
                  shards: 0
                """));

        assertThatThrownBy(() -> settings.integer("router.shards", 1, 1, 1024))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.shards")
                .hasMessageContaining("config.yaml line 4")
                .hasMessageContaining("1..1024")
                .hasMessageContaining("'0'");
    }

    @Test
    void shouldNameKeyFileLineAndRangeForANonNumericValue() throws IOException {
        Settings settings = Settings.empty().withYaml(yaml("""
                router:
                  shards: 3
                  deliveryWindow: lots
                """));

        assertThatThrownBy(() -> settings.integer("router.deliveryWindow", 256, 1, 1 << 20))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.deliveryWindow")
                .hasMessageContaining("config.yaml line 3")
                .hasMessageContaining("1..1048576")
                .hasMessageContaining("lots");
    }

    @Test
    void shouldLetSystemPropertiesOverrideYaml() throws IOException {
        Settings settings = ServerContext.settings(
                yaml("router:\n  shards: 3\n"), properties("switchboard.router.shards", "5", "unrelated.key", "9"));

        assertThat(settings.integer("router.shards", 1, 1, 1024)).isEqualTo(5);
    }

    @Test
    void shouldNameTheSystemPropertyWhenItsValueIsBad() throws IOException {
        Settings settings =
                ServerContext.settings(yaml("router:\n  shards: 3\n"), properties("switchboard.router.shards", "2000"));

        assertThatThrownBy(() -> settings.integer("router.shards", 1, 1, 1024))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.shards")
                .hasMessageContaining("-Dswitchboard.router.shards")
                .hasMessageContaining("1..1024");
    }

    @Test
    void shouldLetExplicitOverridesWinOverSystemPropertiesAndYaml() throws IOException {
        Settings settings = ServerContext.settings(
                        yaml("router:\n  shards: 3\n"), properties("switchboard.router.shards", "5"))
                .with("router.shards", 7, "test");

        assertThat(settings.integer("router.shards", 1, 1, 1024)).isEqualTo(7);
    }

    @Test
    void shouldIgnoreNullOverrides() {
        Settings settings = Settings.empty().with("router.shards", 4, "first").with("router.shards", null, "second");

        assertThat(settings.integer("router.shards", 1, 1, 1024)).isEqualTo(4);
    }

    @Test
    void shouldParseSizesWithBinarySuffixes() {
        Settings settings = Settings.empty()
                .with("a", "64k", "test")
                .with("b", "4m", "test")
                .with("c", "1G", "test")
                .with("d", "2K", "test")
                .with("e", "1_000", "test")
                .with("f", " 12 ", "test");

        assertThat(settings.longValue("a", 0, 0, Long.MAX_VALUE)).isEqualTo(64 * 1024);
        assertThat(settings.longValue("b", 0, 0, Long.MAX_VALUE)).isEqualTo(4 * 1024 * 1024);
        assertThat(settings.longValue("c", 0, 0, Long.MAX_VALUE)).isEqualTo(1024L * 1024 * 1024);
        assertThat(settings.integer("d", 0, 0, Integer.MAX_VALUE)).isEqualTo(2048);
        assertThat(settings.integer("e", 0, 0, Integer.MAX_VALUE)).isEqualTo(1000);
        assertThat(settings.integer("f", 0, 0, Integer.MAX_VALUE)).isEqualTo(12);
    }

    @Test
    void shouldRejectASizeWhoseSuffixTakesItOutOfRange() {
        Settings settings = Settings.empty().with("router.inboxBytes", "4g", "test");

        assertThatThrownBy(() -> settings.integer("router.inboxBytes", 0, 0, 1 << 30))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.inboxBytes")
                .hasMessageContaining("0..1073741824");
    }

    @Test
    void shouldRejectASuffixWithoutANumber() {
        Settings settings = Settings.empty().with("router.inboxBytes", "k", "test");

        assertThatThrownBy(() -> settings.integer("router.inboxBytes", 0, 0, 1 << 30))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.inboxBytes");
    }

    @Test
    void shouldRejectASizeThatOverflowsWithAConfigExceptionNamingTheKey() {
        Settings settings = Settings.empty().with("router.inboxBytes", "99999999999999999k", "test");

        assertThatThrownBy(() -> settings.integer("router.inboxBytes", 0, 0, 1 << 30))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.inboxBytes")
                .hasMessageContaining("(test)");
    }

    @Test
    void shouldAcceptKnownChoicesCaseInsensitively() throws IOException {
        Settings settings = Settings.empty().withYaml(yaml("""
                router:
                  routing: LOCKED
                  idleStrategy: Busy-Spin
                """));

        assertThat(settings.choice("router.routing", Routing.SHARDED)).isEqualTo(Routing.LOCKED);
        assertThat(settings.choice("router.idleStrategy", IdleStrategyName.BACKOFF))
                .isEqualTo(IdleStrategyName.BUSY_SPIN);
    }

    @Test
    void shouldListEveryChoiceWhenTheNameIsUnknown() throws IOException {
        Settings settings = Settings.empty().withYaml(yaml("""
                router:
                  routing: lockfree
                  idleStrategy: spin
                """));

        assertThatThrownBy(() -> settings.choice("router.routing", Routing.SHARDED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.routing")
                .hasMessageContaining("config.yaml line 2")
                .hasMessageContaining("sharded|locked")
                .hasMessageContaining("lockfree");
        assertThatThrownBy(() -> settings.choice("router.idleStrategy", IdleStrategyName.BACKOFF))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.idleStrategy")
                .hasMessageContaining("config.yaml line 3")
                .hasMessageContaining("backoff|yield|busy-spin|sleep");
    }

    @Test
    void shouldRejectAListAtTopLevelNamingTheFile() throws IOException {
        Path file = yaml("- router\n- shards\n");

        assertThatThrownBy(() -> Settings.empty().withYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.yaml")
                .hasMessageContaining("list");
    }

    @Test
    void shouldRejectAScalarAtTopLevelNamingTheFile() throws IOException {
        Path file = yaml("just words\n");

        assertThatThrownBy(() -> Settings.empty().withYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.yaml")
                .hasMessageContaining("mapping");
    }

    @Test
    void shouldRejectAListValueNamingKeyFileAndLine() throws IOException {
        Path file = yaml("""
                router:
                  shards: [1, 2]
                """);

        assertThatThrownBy(() -> Settings.empty().withYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.shards")
                .hasMessageContaining("config.yaml line 2")
                .hasMessageContaining("list");
    }

    @Test
    void shouldRejectBrokenYamlSyntaxNamingTheFile() throws IOException {
        Path file = yaml("router: {shards: 3\n");

        assertThatThrownBy(() -> Settings.empty().withYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.yaml")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void shouldRejectBadIndentationNamingTheFile() throws IOException {
        Path file = yaml("router:\n  shards: 3\n routing: locked\n");

        assertThatThrownBy(() -> Settings.empty().withYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.yaml");
    }

    @Test
    void shouldRejectSeveralDocumentsNamingTheFile() throws IOException {
        Path file = yaml("router:\n  shards: 3\n---\nrouter:\n  shards: 4\n");

        assertThatThrownBy(() -> Settings.empty().withYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.yaml");
    }

    @Test
    void shouldRejectNonPrintableCharactersNamingTheFile() throws IOException {
        Path file = yaml("router:\n  shards: 3\u0001\n");

        assertThatThrownBy(() -> Settings.empty().withYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.yaml");
    }

    @Test
    void shouldRejectAMissingFileNamingIt() {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> Settings.empty().withYaml(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("absent.yaml");
    }

    @Test
    void shouldNameEveryUnusedKeyWithItsSource() throws IOException {
        Settings settings = ServerContext.settings(
                yaml("router:\n  shards: 3\n  shard: 4\n"), properties("switchboard.transport.maxFrame", "1k"));
        settings.integer("router.shards", 1, 1, 1024);

        assertThatThrownBy(settings::rejectUnused)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'router.shard' (config.yaml line 3)")
                .hasMessageContaining("'transport.maxFrame' (-Dswitchboard.transport.maxFrame)")
                .hasMessageContaining("known settings: router.shards");
    }

    @Test
    void shouldAcceptWhenEveryKeyWasUsed() throws IOException {
        Settings settings = Settings.empty().withYaml(yaml("router:\n  shards: 3\n"));
        settings.integer("router.shards", 1, 1, 1024);

        settings.rejectUnused();
    }
}
