package io.switchboard.core.push;

/** Where a device's push token is valid: protocol.md's {@code platform} of {@code PUT /v1/push}. */
public enum PushPlatform {
    /** Apple Push Notification service: the token is the device token APNs gave the app. */
    APNS("apns"),
    /** Firebase Cloud Messaging (HTTP v1): the token is the app instance's registration token. */
    FCM("fcm"),
    /** The simulator's virtual phones, woken in process ({@link SimPushProvider}). */
    SIM("sim");

    private static final PushPlatform[] ALL = values();

    private final String wireName;

    PushPlatform(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The platform of this wire name, or null for none. */
    public static PushPlatform of(String wireName) {
        for (PushPlatform platform : ALL) {
            if (platform.wireName.equals(wireName)) {
                return platform;
            }
        }
        return null;
    }
}
