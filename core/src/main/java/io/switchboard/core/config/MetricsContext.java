package io.switchboard.core.config;

/** Whether the server keeps a Prometheus registry, serves {@code /metrics} and the dashboard, and times commands. */
public final class MetricsContext {
    public static final String ENABLED_PROP = "metrics.enabled";
    public static final boolean ENABLED_DEFAULT = true;

    private final boolean enabled;

    private MetricsContext(Settings settings) {
        enabled = settings.bool(ENABLED_PROP, ENABLED_DEFAULT);
    }

    public static MetricsContext from(Settings settings) {
        return new MetricsContext(settings);
    }

    public boolean enabled() {
        return enabled;
    }

    @Override
    public String toString() {
        return "metrics=" + (enabled ? "on" : "off");
    }
}
