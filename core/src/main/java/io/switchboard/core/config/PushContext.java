package io.switchboard.core.config;

import java.nio.file.Path;

/**
 * Push for devices without a session (protocol.md, Push): which platforms this server pushes to, how it reaches and
 * authenticates to APNs and FCM, and how it retries. Only {@code sim} (in process, for the simulator) is on by default,
 * so that a server nobody configured for push never opens a connection to Apple or Google.
 */
public final class PushContext {
    public static final String SIM_ENABLED_PROP = "push.sim.enabled";
    public static final String APNS_ENABLED_PROP = "push.apns.enabled";
    public static final String APNS_ENDPOINT_PROP = "push.apns.endpoint";
    public static final String APNS_ENDPOINT_DEFAULT = "api.push.apple.com:443";
    public static final String APNS_TEAM_ID_PROP = "push.apns.teamId";
    public static final String APNS_KEY_ID_PROP = "push.apns.keyId";
    public static final String APNS_KEY_PATH_PROP = "push.apns.keyPath";
    public static final String APNS_TOPIC_PROP = "push.apns.topic";
    public static final String APNS_TRUSTED_CERTIFICATES_PROP = "push.apns.trustedCertificates";
    public static final String FCM_ENABLED_PROP = "push.fcm.enabled";
    public static final String FCM_PROJECT_ID_PROP = "push.fcm.projectId";
    public static final String FCM_ENDPOINT_PROP = "push.fcm.endpoint";
    public static final String FCM_ENDPOINT_DEFAULT = "https://fcm.googleapis.com";
    public static final String FCM_TOKEN_URL_PROP = "push.fcm.tokenUrl";
    public static final String FCM_TOKEN_URL_DEFAULT = "https://oauth2.googleapis.com/token";
    public static final String FCM_CREDENTIALS_PROP = "push.fcm.credentials";
    public static final String RETRY_BASE_MS_PROP = "push.retryBaseMs";
    public static final long RETRY_BASE_MS_DEFAULT = 1_000;
    public static final String MAX_ATTEMPTS_PROP = "push.maxAttempts";
    public static final int MAX_ATTEMPTS_DEFAULT = 5;
    public static final String TIMEOUT_MS_PROP = "push.timeoutMs";
    public static final long TIMEOUT_MS_DEFAULT = 10_000;

    /** APNs with token-based authentication: a {@code .p8} signing key of the team, for the app's bundle id. */
    public record Apns(
            String host, int port, String teamId, String keyId, Path keyPath, String topic, Path trustedCertificates) {}

    /** FCM HTTP v1, authenticated with a service account's key by the OAuth 2.0 JWT bearer grant. */
    public record Fcm(String projectId, String endpoint, String tokenUrl, Path credentials) {}

    private final boolean sim;
    private final Apns apns;
    private final Fcm fcm;
    private final long retryBaseMs;
    private final int maxAttempts;
    private final long timeoutMs;

    private PushContext(Settings settings) {
        sim = settings.bool(SIM_ENABLED_PROP, true);
        apns = settings.bool(APNS_ENABLED_PROP, false) ? apns(settings) : null;
        fcm = settings.bool(FCM_ENABLED_PROP, false) ? fcm(settings) : null;
        retryBaseMs = settings.longValue(RETRY_BASE_MS_PROP, RETRY_BASE_MS_DEFAULT, 1, 3_600_000);
        maxAttempts = settings.integer(MAX_ATTEMPTS_PROP, MAX_ATTEMPTS_DEFAULT, 1, 20);
        timeoutMs = settings.longValue(TIMEOUT_MS_PROP, TIMEOUT_MS_DEFAULT, 10, 600_000);
    }

    public static PushContext from(Settings settings) {
        return new PushContext(settings);
    }

    private static Apns apns(Settings settings) {
        String endpoint = settings.string(APNS_ENDPOINT_PROP, APNS_ENDPOINT_DEFAULT);
        int colon = endpoint.lastIndexOf(':');
        int port;
        try {
            port = colon <= 0 ? -1 : Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            throw settings.invalid(APNS_ENDPOINT_PROP, "expected host:port, as " + APNS_ENDPOINT_DEFAULT);
        }
        String trusted = settings.string(APNS_TRUSTED_CERTIFICATES_PROP, "");
        return new Apns(
                endpoint.substring(0, colon),
                port,
                required(settings, APNS_TEAM_ID_PROP, APNS_ENABLED_PROP),
                required(settings, APNS_KEY_ID_PROP, APNS_ENABLED_PROP),
                Path.of(required(settings, APNS_KEY_PATH_PROP, APNS_ENABLED_PROP)),
                required(settings, APNS_TOPIC_PROP, APNS_ENABLED_PROP),
                trusted.isBlank() ? null : Path.of(trusted));
    }

    private static Fcm fcm(Settings settings) {
        return new Fcm(
                required(settings, FCM_PROJECT_ID_PROP, FCM_ENABLED_PROP),
                settings.string(FCM_ENDPOINT_PROP, FCM_ENDPOINT_DEFAULT),
                settings.string(FCM_TOKEN_URL_PROP, FCM_TOKEN_URL_DEFAULT),
                Path.of(required(settings, FCM_CREDENTIALS_PROP, FCM_ENABLED_PROP)));
    }

    private static String required(Settings settings, String key, String enabledBy) {
        String value = settings.string(key, "");
        if (value.isBlank()) {
            throw settings.invalid(key, "required when " + enabledBy + " is true");
        }
        return value;
    }

    /** Whether the in-process {@code sim} platform is on. */
    public boolean sim() {
        return sim;
    }

    /** APNs, or null when off. */
    public Apns apns() {
        return apns;
    }

    /** FCM, or null when off. */
    public Fcm fcm() {
        return fcm;
    }

    /** The wait before the first retry of a push a platform could not take; each further retry waits twice as long. */
    public long retryBaseMs() {
        return retryBaseMs;
    }

    /** Tries of one push, the first included, before it is given up. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** A platform that has not answered a push this long is taken as down: the push is retried. */
    public long timeoutMs() {
        return timeoutMs;
    }

    @Override
    public String toString() {
        return "push=" + (sim ? "sim" : "") + (apns != null ? ",apns" : "") + (fcm != null ? ",fcm" : "");
    }
}
