package io.switchboard.core.limits;

/** What a rate limit counts; {@link #tag} is the {@code kind} tag of {@code switchboard_limits_refused_total}. */
public enum LimitKind {
    /** {@code send}, per connection. */
    SEND("send", "too many sends on this connection"),
    /** {@code typing}, per connection. */
    TYPING("typing", "too many typing frames on this connection"),
    /** {@code group.*} changes, per connection, weighted by the members they name. */
    GROUP_CHANGE("group-change", "too many group members changed on this connection"),
    /** {@code group.add} and {@code group.remove}, per group, weighted by the members who hear of them. */
    GROUP_EVENTS("group-events", "too many member notifications from changes of this group"),
    /** {@code sub}, per connection. */
    SUBSCRIBE("subscribe", "too many presence subscriptions on this connection"),
    /** {@code POST /v1/accounts}, per remote address. */
    REGISTRATION("registration", "too many registrations from this address"),
    /** {@code POST /v1/devices/link}, per remote address. */
    LINK_CODE("link-code", "too many link codes from this address"),
    /** {@code GET /v1/keys/{user}[/{device}]}, per remote address: each hands out one-time keys. */
    KEY_FETCH("key-fetch", "too many key fetches from this address");

    public final String tag;
    /** What the refusal says, after which {@code retryAfterMs} tells when to try again. */
    public final String refusal;

    LimitKind(String tag, String refusal) {
        this.tag = tag;
        this.refusal = refusal;
    }
}
