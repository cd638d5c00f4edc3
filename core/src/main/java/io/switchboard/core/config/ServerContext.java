package io.switchboard.core.config;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The whole server's configuration: one context per component, read from the same {@link Settings} and validated
 * once, here, so that a bad value stops the server at start with the key named rather than somewhere later.
 */
public final class ServerContext {
    private final TransportContext transport;
    private final RouterContext router;
    private final AccountsContext accounts;
    private final MetricsContext metrics;
    private final JournalContext journal;
    private final LimitsContext limits;
    private final MediaContext media;
    private final PushContext push;
    private final KeysContext keys;

    private ServerContext(Settings settings) {
        transport = TransportContext.from(settings);
        router = RouterContext.from(settings, transport.maxFrameBytes());
        accounts = AccountsContext.from(settings);
        metrics = MetricsContext.from(settings);
        journal = JournalContext.from(settings, transport.maxFrameBytes());
        limits = LimitsContext.from(settings);
        media = MediaContext.from(settings, journal.retentionMs());
        push = PushContext.from(settings);
        keys = KeysContext.from(settings);
        settings.rejectUnused();
    }

    /** Validates every key; throws {@link ConfigException} naming the first bad one or every unknown one. */
    public static ServerContext conclude(Settings settings) {
        return new ServerContext(settings);
    }

    /** Defaults, then the YAML file if given, then {@code -Dswitchboard.*} properties. */
    public static Settings settings(Path yamlOrNull, Properties systemProperties) {
        Settings settings = Settings.empty();
        if (yamlOrNull != null) {
            settings.withYaml(yamlOrNull);
        }
        return settings.withSystemProperties(systemProperties);
    }

    public TransportContext transport() {
        return transport;
    }

    public RouterContext router() {
        return router;
    }

    public AccountsContext accounts() {
        return accounts;
    }

    public MetricsContext metrics() {
        return metrics;
    }

    public JournalContext journal() {
        return journal;
    }

    public LimitsContext limits() {
        return limits;
    }

    public MediaContext media() {
        return media;
    }

    public PushContext push() {
        return push;
    }

    public KeysContext keys() {
        return keys;
    }

    @Override
    public String toString() {
        return transport + " " + router + " " + journal + " " + accounts + " " + metrics + " " + limits + " " + media
                + " " + push + " " + keys;
    }
}
