package io.switchboard.core.metrics;

import io.switchboard.core.limits.LimitKind;

/**
 * Counters of one I/O loop. {@link #FRAMES_SENT} may be written from other I/O threads (locked routing writes to any
 * channel), and the key requests' ({@link #KEY_UPLOADS}, {@link #KEY_FETCHES}, {@link #KEYS_HANDED_OUT}) from the
 * blocking executor that answers them: those are incremented atomically; the rest only by the loop's own thread. Type ids are stable.
 */
public enum LoopCounter implements CounterDescriptor {
    CONNECTIONS_OPENED(201, "connections.opened", CounterKind.TOTAL, "TCP connections accepted"),
    CONNECTIONS_CLOSED(202, "connections.closed", CounterKind.TOTAL, "TCP connections closed"),
    SESSIONS_ONLINE(203, "sessions.online", CounterKind.LEVEL, "connections past hello"),
    FRAMES_RECEIVED(204, "frames.received", CounterKind.TOTAL, "WebSocket text frames received"),
    FRAMES_SENT(205, "frames.sent", CounterKind.TOTAL, "WebSocket text frames written"),
    BAD_FRAMES(206, "frames.bad", CounterKind.TOTAL, "connections closed for a malformed frame"),
    OVERSIZE_FRAMES(207, "frames.oversize", CounterKind.TOTAL, "connections closed for an oversize frame"),
    AUTH_FAILURES(208, "auth.failures", CounterKind.TOTAL, "connections closed for a missing or bad hello"),
    INBOX_REFUSALS(209, "inbox.refusals", CounterKind.TOTAL, "commands a full shard inbox pushed back"),
    SLOW_CONSUMER_CLOSES(210, "slow.consumer.closes", CounterKind.TOTAL, "connections closed for unsent bytes"),
    OUTBOX_DRAINS(211, "outbox.drains", CounterKind.TOTAL, "outbox drain tasks run"),
    OUTBOX_RECORDS(212, "outbox.records", CounterKind.TOTAL, "outbox records written to channels"),
    REFUSED_SENDS(213, LimitKind.SEND),
    REFUSED_TYPING(214, LimitKind.TYPING),
    REFUSED_GROUP_CHANGES(215, LimitKind.GROUP_CHANGE),
    REFUSED_SUBSCRIPTIONS(216, LimitKind.SUBSCRIBE),
    REFUSED_REGISTRATIONS(217, LimitKind.REGISTRATION),
    REFUSED_LINK_CODES(218, LimitKind.LINK_CODE),
    REFUSED_PRIVACY_CHANGES(230, LimitKind.PRIVACY_CHANGE),
    REFUSED_MEDIA_UPLOADS(219, LimitKind.MEDIA_UPLOAD),
    REFUSED_KEY_FETCHES(224, LimitKind.KEY_FETCH),
    KEY_UPLOADS(220, "keys.uploads", CounterKind.TOTAL, "PUT /v1/keys stored"),
    KEY_FETCHES(221, "keys.fetches", CounterKind.TOTAL, "GET /v1/keys/{user}[/{device}] past rate limit and token"),
    KEYS_HANDED_OUT(222, "keys.handed.out", CounterKind.TOTAL, "one-time pre-keys handed out, EC and Kyber"),
    KEYS_LOW_SENT(223, "keys.low.sent", CounterKind.TOTAL, "keys.low frames written to sessions"),
    SENDS_REFUSED_BEHIND(
            231,
            "sends.refused.behind",
            CounterKind.TOTAL,
            "sends refused with unavailable (locked routing) while an I/O loop had over transport.loopHighTasks tasks queued");

    private final CounterSpec spec;

    LoopCounter(int typeId, String metricName, CounterKind kind, String description) {
        this.spec = new CounterSpec(typeId, metricName, kind, description);
    }

    /** One series of {@code limits.refused}, tagged with its kind. */
    LoopCounter(int typeId, LimitKind limit) {
        this.spec = CounterSpec.refused(typeId, limit);
    }

    /** The counter of refusals by {@code limit}. */
    public static LoopCounter refused(LimitKind limit) {
        return switch (limit) {
            case SEND -> REFUSED_SENDS;
            case TYPING -> REFUSED_TYPING;
            case GROUP_CHANGE -> REFUSED_GROUP_CHANGES;
            case SUBSCRIBE -> REFUSED_SUBSCRIPTIONS;
            case REGISTRATION -> REFUSED_REGISTRATIONS;
            case LINK_CODE -> REFUSED_LINK_CODES;
            case PRIVACY_CHANGE -> REFUSED_PRIVACY_CHANGES;
            case MEDIA_UPLOAD -> REFUSED_MEDIA_UPLOADS;
            case KEY_FETCH -> REFUSED_KEY_FETCHES;
            case GROUP_EVENTS -> throw new IllegalArgumentException("a group's owner counts " + limit);
        };
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
