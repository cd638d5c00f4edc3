package io.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerContextTest {
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
    void shouldConcludeWithDefaultsWhenNothingIsSet() {
        ServerContext context = ServerContext.conclude(ServerContext.settings(null, new Properties()));

        assertThat(context.transport().port()).isEqualTo(TransportContext.PORT_DEFAULT);
        assertThat(context.transport().maxFrameBytes()).isEqualTo(TransportContext.MAX_FRAME_BYTES_DEFAULT);
        assertThat(context.router().routing()).isEqualTo(RouterContext.ROUTING_DEFAULT);
        assertThat(context.router().idleStrategy()).isEqualTo(RouterContext.IDLE_STRATEGY_DEFAULT);
        assertThat(context.router().inboxBytes()).isEqualTo(RouterContext.INBOX_BYTES_DEFAULT);
        assertThat(context.accounts().registrationKey()).isNull();
        assertThat(context.journal().blockBytes()).isEqualTo(JournalContext.BLOCK_BYTES_DEFAULT);
    }

    @Test
    void shouldReadEveryComponentFromOneYamlFile() throws IOException {
        Path file = yaml("""
                server:
                  port: 9000
                  data: /var/lib/switchboard
                router:
                  routing: locked
                  shards: 3
                  idleStrategy: YIELD
                  inboxBytes: 32m
                  outboxBytes: 8M
                transport:
                  maxFrameBytes: 64k
                accounts:
                  registrationKey: s3cret
                """);

        ServerContext context = ServerContext.conclude(ServerContext.settings(file, new Properties()));

        assertThat(context.transport().port()).isEqualTo(9000);
        assertThat(context.transport().maxFrameBytes()).isEqualTo(64 * 1024);
        assertThat(context.router().routing()).isEqualTo(Routing.LOCKED);
        assertThat(context.router().shards()).isEqualTo(3);
        assertThat(context.router().idleStrategy()).isEqualTo(IdleStrategyName.YIELD);
        assertThat(context.router().inboxBytes()).isEqualTo(32 * 1024 * 1024);
        assertThat(context.router().outboxBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(context.accounts().dataDir()).isEqualTo(Path.of("/var/lib/switchboard"));
        assertThat(context.accounts().registrationKey()).isEqualTo("s3cret");
    }

    @Test
    void shouldLetSystemPropertiesOverrideYamlAndOverridesOverrideBoth() throws IOException {
        Path file = yaml("router:\n  shards: 3\n  deliveryWindow: 16\n");
        Properties properties = properties("switchboard.router.shards", "5", "switchboard.router.deliveryWindow", "32");

        Settings settings = ServerContext.settings(file, properties).with("router.deliveryWindow", 64, "test");
        RouterContext router = ServerContext.conclude(settings).router();

        assertThat(router.shards()).isEqualTo(5);
        assertThat(router.deliveryWindow()).isEqualTo(64);
    }

    @Test
    void shouldNameKeyFileLineAndRangeForABadValue() throws IOException {
        Path file = yaml("""
                server:
                  port: 9000
                router:
                  shards: 5000
                """);

        assertThatThrownBy(() -> ServerContext.conclude(ServerContext.settings(file, new Properties())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.shards")
                .hasMessageContaining("config.yaml line 4")
                .hasMessageContaining("1..1024");
    }

    @Test
    void shouldRejectUnknownKeysNamingEachWithItsSource() throws IOException {
        Path file = yaml("""
                router:
                  shards: 2
                  shard: 3
                trasnport:
                  ioThreads: 2
                """);
        Properties properties = properties("switchboard.server.prot", "9000");

        assertThatThrownBy(() -> ServerContext.conclude(ServerContext.settings(file, properties)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'router.shard' (config.yaml line 3)")
                .hasMessageContaining("'trasnport.ioThreads' (config.yaml line 5)")
                .hasMessageContaining("'server.prot' (-Dswitchboard.server.prot)")
                .hasMessageNotContaining("'router.shards' (");
    }

    @Test
    void shouldRejectAnUnknownKeyGivenAsAnOverride() {
        Settings settings = Settings.empty().with("router.maxQueued", 10, "--max-queued");

        assertThatThrownBy(() -> ServerContext.conclude(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'router.maxQueued' (--max-queued)");
    }

    @Test
    void shouldListChoicesForAnUnknownRouting() {
        Settings settings = Settings.empty().with("router.routing", "actors", "test");

        assertThatThrownBy(() -> ServerContext.conclude(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.routing")
                .hasMessageContaining("sharded|locked");
    }

    @Test
    void shouldRejectARingSizeThatIsNotAPowerOfTwo() {
        Settings settings = Settings.empty().with(RouterContext.INBOX_BYTES_PROP, "3m", "test");

        assertThatThrownBy(() -> RouterContext.from(settings, 1024))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.inboxBytes")
                .hasMessageContaining("power of two")
                .hasMessageContaining(String.valueOf(3 * 1024 * 1024));
    }

    @Test
    void shouldTakeAnUnreadBudgetInBytesAndRejectOneBelowAMebibyte() {
        RouterContext router =
                RouterContext.from(Settings.empty().with(RouterContext.MAX_UNREAD_BYTES_PROP, "64m", "test"), 1024);
        assertThat(router.maxUnreadBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(RouterContext.from(Settings.empty(), 1024).maxUnreadBytes())
                .isEqualTo(Math.max(Runtime.getRuntime().maxMemory() / 16, RouterContext.MAX_UNREAD_BYTES_MIN));

        Settings settings = Settings.empty().with(RouterContext.MAX_UNREAD_BYTES_PROP, "512k", "test");
        assertThatThrownBy(() -> RouterContext.from(settings, 1024))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.maxUnreadBytes");
    }

    @Test
    void shouldRejectAnOutboxSizeThatIsNotAPowerOfTwo() {
        Settings settings = Settings.empty().with(RouterContext.OUTBOX_BYTES_PROP, 100_000, "test");

        assertThatThrownBy(() -> RouterContext.from(settings, 1024))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.outboxBytes")
                .hasMessageContaining("power of two");
    }

    @Test
    void shouldNameTheSourceOfARingSizeThatIsNotAPowerOfTwo() throws IOException {
        Path file = yaml("router:\n  inboxBytes: 3m\n");

        assertThatThrownBy(() -> ServerContext.conclude(ServerContext.settings(file, new Properties())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.inboxBytes")
                .hasMessageContaining("config.yaml line 2");
    }

    @Test
    void shouldRejectARingTooSmallForTheLargestFrame() {
        Settings settings = Settings.empty()
                .with(TransportContext.MAX_FRAME_BYTES_PROP, "1m", "test")
                .with(RouterContext.INBOX_BYTES_PROP, "1m", "test");

        assertThatThrownBy(() -> ServerContext.conclude(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.inboxBytes")
                .hasMessageContaining("transport.maxFrameBytes");
    }

    @Test
    void shouldRejectDefaultRingsWhenTheFrameLimitOutgrowsThem() {
        Settings settings = Settings.empty().with(TransportContext.MAX_FRAME_BYTES_PROP, "4m", "test");

        assertThatThrownBy(() -> ServerContext.conclude(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("router.inboxBytes")
                .hasMessageContaining("transport.maxFrameBytes");
    }

    @Test
    void shouldAcceptTheSmallestRingThatHoldsTheLargestFrame() {
        // A ring takes records up to an eighth of its capacity: 8 x (frame + 1k) must fit.
        Settings settings = Settings.empty()
                .with(TransportContext.MAX_FRAME_BYTES_PROP, "7k", "test")
                .with(RouterContext.INBOX_BYTES_PROP, "64k", "test")
                .with(RouterContext.OUTBOX_BYTES_PROP, "64k", "test");

        RouterContext router = ServerContext.conclude(settings).router();

        assertThat(router.inboxBytes()).isEqualTo(64 * 1024);
        assertThat(router.outboxBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void shouldRejectMaxOutboundBytesBelowMaxFrameBytes() {
        Settings settings = Settings.empty()
                .with(TransportContext.MAX_FRAME_BYTES_PROP, "2m", "test")
                .with(TransportContext.MAX_OUTBOUND_BYTES_PROP, "1m", "test");

        assertThatThrownBy(() -> TransportContext.from(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transport.maxOutboundBytes")
                .hasMessageContaining("transport.maxFrameBytes");
    }

    @Test
    void shouldRejectMaxOutboundBytesBelowTheWriteBufferHighMark() {
        Settings settings = Settings.empty()
                .with(TransportContext.WRITE_BUFFER_HIGH_BYTES_PROP, "512k", "test")
                .with(TransportContext.MAX_OUTBOUND_BYTES_PROP, "256k", "yaml");

        assertThatThrownBy(() -> TransportContext.from(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transport.maxOutboundBytes")
                .hasMessageContaining("(yaml)");
    }

    @Test
    void shouldDefaultMaxOutboundBytesToTwoFramesWhenFramesAreLarge() {
        Settings settings = Settings.empty().with(TransportContext.MAX_FRAME_BYTES_PROP, "8m", "test");

        TransportContext transport = TransportContext.from(settings);

        assertThat(transport.maxOutboundBytes()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void shouldRejectAJournalBlockTooSmallForTheLargestFrame() {
        // Chronicle takes a record of at most a quarter of a block: 4 x (1m + 4k) is needed for 1m frames.
        Settings settings = Settings.empty().with(JournalContext.BLOCK_BYTES_PROP, "4m", "test");

        assertThatThrownBy(() -> ServerContext.conclude(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.blockBytes")
                .hasMessageContaining("transport.maxFrameBytes")
                .hasMessageContaining("(test)");
    }

    @Test
    void shouldRejectTheDefaultJournalBlockWhenTheFrameLimitOutgrowsIt() {
        Settings settings = Settings.empty()
                .with(TransportContext.MAX_FRAME_BYTES_PROP, "16m", "test")
                .with(RouterContext.INBOX_BYTES_PROP, "256m", "test")
                .with(RouterContext.OUTBOX_BYTES_PROP, "256m", "test");

        assertThatThrownBy(() -> ServerContext.conclude(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.blockBytes")
                .hasMessageContaining("(default)");
    }

    @Test
    void shouldAcceptTheSmallestJournalBlockAndAnyBlockWithoutAJournal() {
        Settings small = Settings.empty()
                .with(TransportContext.MAX_FRAME_BYTES_PROP, "28k", "test")
                .with(JournalContext.BLOCK_BYTES_PROP, "128k", "test");
        Settings memory = Settings.empty()
                .with(TransportContext.MAX_FRAME_BYTES_PROP, "16m", "test")
                .with(RouterContext.INBOX_BYTES_PROP, "256m", "test")
                .with(RouterContext.OUTBOX_BYTES_PROP, "256m", "test")
                .with(JournalContext.TYPE_PROP, "memory", "test");

        assertThat(ServerContext.conclude(small).journal().blockBytes()).isEqualTo(128 * 1024);
        assertThat(ServerContext.conclude(memory).journal().blockBytes()).isEqualTo(JournalContext.BLOCK_BYTES_DEFAULT);
    }

    @Test
    void shouldPretouchTheJournal32MiBAheadUnlessTurnedOff() {
        JournalContext defaults = ServerContext.conclude(Settings.empty()).journal();
        JournalContext set = ServerContext.conclude(Settings.empty()
                        .with(JournalContext.PRETOUCH_PROP, "off", "test")
                        .with(JournalContext.PRETOUCH_AHEAD_BYTES_PROP, "8m", "test"))
                .journal();

        assertThat(defaults.pretouch()).isTrue();
        assertThat(defaults.pretouchAheadBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(set.pretouch()).isFalse();
        assertThat(set.pretouchAheadBytes()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void shouldRejectAPretouchDistanceBelow1MiB() {
        Settings settings = Settings.empty().with(JournalContext.PRETOUCH_AHEAD_BYTES_PROP, "64k", "test");

        assertThatThrownBy(() -> ServerContext.conclude(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.pretouchAheadBytes")
                .hasMessageContaining("(test)");
    }

    @Test
    void shouldRejectAJournalBlockBelowChroniclesSmallest() {
        Settings settings = Settings.empty()
                .with(TransportContext.MAX_FRAME_BYTES_PROP, "4k", "test")
                .with(JournalContext.BLOCK_BYTES_PROP, "64k", "test");

        assertThatThrownBy(() -> ServerContext.conclude(settings))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.blockBytes")
                .hasMessageContaining("131072..1073741824");
    }

    @Test
    void shouldTreatABlankRegistrationKeyAsOpenRegistration() {
        Settings settings = Settings.empty().with(AccountsContext.REGISTRATION_KEY_PROP, "  ", "test");

        assertThat(AccountsContext.from(settings).registrationKey()).isNull();
    }
}
