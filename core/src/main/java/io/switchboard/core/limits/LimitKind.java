package io.switchboard.core.limits;

/** What a rate limit counts; {@link #tag} is the {@code kind} tag of {@code switchboard_limits_refused_total}. */
public enum LimitKind {
    /** {@code send}, per connection and per user. */
    SEND("send", "too many sends on this connection", "too many sends from this user's devices together"),
    /** {@code typing}, per connection and per user. */
    TYPING(
            "typing",
            "too many typing frames on this connection",
            "too many typing frames from this user's devices together"),
    /** {@code group.*} changes, per connection and per user, weighted by the members they name. */
    GROUP_CHANGE(
            "group-change",
            "too many group members changed on this connection",
            "too many group members changed by this user's devices together"),
    /** {@code group.add} and {@code group.remove}, per group, weighted by the members who hear of them. */
    GROUP_EVENTS("group-events", "too many member notifications from changes of this group", null),
    /** {@code sub}, per connection and per user. */
    SUBSCRIBE(
            "subscribe",
            "too many presence subscriptions on this connection",
            "too many presence subscriptions from this user's devices together"),
    /** {@code POST /v1/accounts}, per remote address. */
    REGISTRATION("registration", "too many registrations from this address", null),
    /** {@code POST /v1/devices/link}, per remote address. */
    LINK_CODE("link-code", "too many link codes from this address", null),
    /** {@code PUT /v1/settings/privacy} and {@code PUT /v1/contacts}, per remote address. */
    PRIVACY_CHANGE("privacy-change", "too many privacy and contact changes from this address", null),
    /** {@code POST /v1/media}, per remote address. */
    MEDIA_UPLOAD("media-upload", "too many media uploads from this address", null),
    /** {@code GET /v1/keys/{user}[/{device}]}, per remote address: each hands out one-time keys. */
    KEY_FETCH("key-fetch", "too many key fetches from this address", null);

    public final String tag;
    /** What the refusal says, after which {@code retryAfterMs} tells when to try again. */
    public final String refusal;
    /** What a refusal by the user's budget, which all of its connections share, says; null for other limits. */
    public final String userRefusal;

    LimitKind(String tag, String refusal, String userRefusal) {
        this.tag = tag;
        this.refusal = refusal;
        this.userRefusal = userRefusal;
    }
}
