package io.switchboard.core.push;

/** What a platform answered to one push. */
public enum PushOutcome {
    /** Accepted: the platform will deliver it when it can. */
    SENT,
    /** The token is no longer valid (APNs 410 or BadDeviceToken, FCM UNREGISTERED): the registration goes. */
    UNREGISTERED,
    /** Refused for another reason that a retry would not change (a bad request, our credentials): given up. */
    REJECTED,
    /** The platform is down, overloaded or unreachable (5xx, 429, a timeout, a broken connection): tried again later. */
    RETRY
}
