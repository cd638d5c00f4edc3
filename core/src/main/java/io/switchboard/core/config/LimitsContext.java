package io.switchboard.core.config;

import java.util.concurrent.TimeUnit;

/**
 * Rate limits (protocol.md, Limits): token buckets per connection for what a client sends over its WebSocket, and per
 * remote address for what costs the server a disk write or a secret over HTTP. A client over one gets {@code
 * rate-limited} with {@code retryAfterMs} (HTTP 429 with {@code Retry-After}) and what it sent is not applied. A rate of
 * 0 turns a limit off. The defaults sit far above what any shipped scenario offers (docs/configuration.md shows the
 * margins) and far below what one connection could otherwise push.
 */
public final class LimitsContext {
    public static final String SENDS_PER_SECOND_PROP = "limits.sends.perSecond";
    /** Above the fanout command's default busiest sender (50,000 deliveries/s to groups of 8: 7,143 sends/s). */
    public static final long SENDS_PER_SECOND_DEFAULT = 10_000;

    public static final String SENDS_BURST_PROP = "limits.sends.burst";
    public static final long SENDS_BURST_DEFAULT = 10_000;
    public static final String TYPING_PER_SECOND_PROP = "limits.typing.perSecond";
    public static final long TYPING_PER_SECOND_DEFAULT = 20;
    public static final String TYPING_BURST_PROP = "limits.typing.burst";
    public static final long TYPING_BURST_DEFAULT = 40;
    public static final String GROUP_CHANGES_PER_SECOND_PROP = "limits.groupChanges.perSecond";
    /** In members: one create of the largest group (1,024) every four seconds, once the burst is spent. */
    public static final long GROUP_CHANGES_PER_SECOND_DEFAULT = 256;

    public static final String GROUP_CHANGES_BURST_PROP = "limits.groupChanges.burst";
    /** Four creates of the largest group at once. */
    public static final long GROUP_CHANGES_BURST_DEFAULT = 4096;

    public static final String SUBSCRIPTIONS_PER_SECOND_PROP = "limits.subscriptions.perSecond";
    public static final long SUBSCRIPTIONS_PER_SECOND_DEFAULT = 64;
    public static final String SUBSCRIPTIONS_BURST_PROP = "limits.subscriptions.burst";
    /** A whole contact list at connect, twice over: twice what a connection may hold ({@code router.maxSubscriptions}). */
    public static final long SUBSCRIPTIONS_BURST_DEFAULT = 2048;

    public static final String REGISTRATIONS_PER_MINUTE_PROP = "limits.registrations.perMinute";
    public static final long REGISTRATIONS_PER_MINUTE_DEFAULT = 60;
    public static final String REGISTRATIONS_BURST_PROP = "limits.registrations.burst";
    public static final long REGISTRATIONS_BURST_DEFAULT = 60;
    public static final String LINK_CODES_PER_MINUTE_PROP = "limits.linkCodes.perMinute";
    public static final long LINK_CODES_PER_MINUTE_DEFAULT = 10;
    public static final String LINK_CODES_BURST_PROP = "limits.linkCodes.burst";
    public static final long LINK_CODES_BURST_DEFAULT = 10;
    public static final String PRIVACY_CHANGES_PER_MINUTE_PROP = "limits.privacyChanges.perMinute";
    /** A contact list is synced now and then, not in a loop: each change forces accounts.log (up to ~85 KB a line). */
    public static final long PRIVACY_CHANGES_PER_MINUTE_DEFAULT = 10;

    public static final String PRIVACY_CHANGES_BURST_PROP = "limits.privacyChanges.burst";
    public static final long PRIVACY_CHANGES_BURST_DEFAULT = 10;

    public static final String MEDIA_UPLOADS_PER_SECOND_PROP = "limits.mediaUploads.perSecond";
    /** Far above what one phone uploads, far below what fills a disk with 16 MiB blobs unnoticed. */
    public static final long MEDIA_UPLOADS_PER_SECOND_DEFAULT = 200;

    public static final String MEDIA_UPLOADS_BURST_PROP = "limits.mediaUploads.burst";
    public static final long MEDIA_UPLOADS_BURST_DEFAULT = 2000;

    public static final String KEY_FETCHES_PER_SECOND_PROP = "limits.keyFetches.perSecond";
    /**
     * Bundles fetched per address: every virtual client of a load generator on one machine shares its address, and
     * each fetches a bundle at its first contact with every peer device.
     */
    public static final long KEY_FETCHES_PER_SECOND_DEFAULT = 1000;

    public static final String KEY_FETCHES_BURST_PROP = "limits.keyFetches.burst";
    public static final long KEY_FETCHES_BURST_DEFAULT = 10_000;
    public static final String GROUP_EVENTS_PER_SECOND_PROP = "limits.groupEvents.perSecond";
    /** Member notifications a group's adds and removes cause: one change of the largest group a second. */
    public static final long GROUP_EVENTS_PER_SECOND_DEFAULT = 1024;

    public static final String GROUP_EVENTS_BURST_PROP = "limits.groupEvents.burst";
    /** Eight changes of the largest group at once. */
    public static final long GROUP_EVENTS_BURST_DEFAULT = 8192;

    public static final String PER_USER_FACTOR_PROP = "limits.perUserFactor";
    /**
     * A user's devices together get twice one connection's rates (and bursts): a phone and a computer both busy, not
     * eight times as eight devices would otherwise.
     */
    public static final int PER_USER_FACTOR_DEFAULT = 2;

    public static final String ADDRESSES_PROP = "limits.addresses";
    /** Remote addresses whose HTTP buckets an I/O loop keeps; the least recently used goes first. */
    public static final int ADDRESSES_DEFAULT = 65_536;

    private static final long MAX_RATE = 1_000_000;
    private static final long MAX_BURST = 1_000_000;

    private final RateLimit sends;
    private final RateLimit typing;
    private final RateLimit groupChanges;
    private final RateLimit subscriptions;
    private final RateLimit registrations;
    private final RateLimit linkCodes;
    private final RateLimit userSends;
    private final RateLimit userTyping;
    private final RateLimit userGroupChanges;
    private final RateLimit userSubscriptions;
    private final RateLimit privacyChanges;
    private final RateLimit mediaUploads;
    private final RateLimit keyFetches;
    private final int addresses;

    private LimitsContext(Settings settings) {
        sends = limit(
                settings,
                SENDS_PER_SECOND_PROP,
                SENDS_PER_SECOND_DEFAULT,
                TimeUnit.SECONDS,
                SENDS_BURST_PROP,
                SENDS_BURST_DEFAULT);
        typing = limit(
                settings,
                TYPING_PER_SECOND_PROP,
                TYPING_PER_SECOND_DEFAULT,
                TimeUnit.SECONDS,
                TYPING_BURST_PROP,
                TYPING_BURST_DEFAULT);
        groupChanges = limit(
                settings,
                GROUP_CHANGES_PER_SECOND_PROP,
                GROUP_CHANGES_PER_SECOND_DEFAULT,
                TimeUnit.SECONDS,
                GROUP_CHANGES_BURST_PROP,
                GROUP_CHANGES_BURST_DEFAULT);
        subscriptions = limit(
                settings,
                SUBSCRIPTIONS_PER_SECOND_PROP,
                SUBSCRIPTIONS_PER_SECOND_DEFAULT,
                TimeUnit.SECONDS,
                SUBSCRIPTIONS_BURST_PROP,
                SUBSCRIPTIONS_BURST_DEFAULT);
        registrations = limit(
                settings,
                REGISTRATIONS_PER_MINUTE_PROP,
                REGISTRATIONS_PER_MINUTE_DEFAULT,
                TimeUnit.MINUTES,
                REGISTRATIONS_BURST_PROP,
                REGISTRATIONS_BURST_DEFAULT);
        linkCodes = limit(
                settings,
                LINK_CODES_PER_MINUTE_PROP,
                LINK_CODES_PER_MINUTE_DEFAULT,
                TimeUnit.MINUTES,
                LINK_CODES_BURST_PROP,
                LINK_CODES_BURST_DEFAULT);
        int factor = settings.integer(PER_USER_FACTOR_PROP, PER_USER_FACTOR_DEFAULT, 0, 64);
        userSends = perUser(sends, factor);
        userTyping = perUser(typing, factor);
        userGroupChanges = perUser(groupChanges, factor);
        userSubscriptions = perUser(subscriptions, factor);
        privacyChanges = limit(
                settings,
                PRIVACY_CHANGES_PER_MINUTE_PROP,
                PRIVACY_CHANGES_PER_MINUTE_DEFAULT,
                TimeUnit.MINUTES,
                PRIVACY_CHANGES_BURST_PROP,
                PRIVACY_CHANGES_BURST_DEFAULT);
        mediaUploads = limit(
                settings,
                MEDIA_UPLOADS_PER_SECOND_PROP,
                MEDIA_UPLOADS_PER_SECOND_DEFAULT,
                TimeUnit.SECONDS,
                MEDIA_UPLOADS_BURST_PROP,
                MEDIA_UPLOADS_BURST_DEFAULT);
        keyFetches = limit(
                settings,
                KEY_FETCHES_PER_SECOND_PROP,
                KEY_FETCHES_PER_SECOND_DEFAULT,
                TimeUnit.SECONDS,
                KEY_FETCHES_BURST_PROP,
                KEY_FETCHES_BURST_DEFAULT);
        addresses = settings.integer(ADDRESSES_PROP, ADDRESSES_DEFAULT, 16, 1 << 24);
    }

    /** A connection's limit scaled to what all of one user's connections may take together; 0 turns it off. */
    private static RateLimit perUser(RateLimit connection, int factor) {
        return factor == 0 || connection.off() ? RateLimit.OFF : connection.times(factor);
    }

    private static RateLimit limit(
            Settings settings, String rateKey, long rateDefault, TimeUnit window, String burstKey, long burstDefault) {
        long rate = settings.longValue(rateKey, rateDefault, 0, MAX_RATE);
        long burst = settings.longValue(burstKey, burstDefault, 1, MAX_BURST);
        return new RateLimit(rate, window, burst);
    }

    /**
     * The budget of each group's adds and removes, in member notifications: a change costs the members who hear of
     * it. Read by {@link RouterContext}, since the group's owner applies it (the only thread that knows a group's
     * size); its keys sit here with the other limits.
     */
    static RateLimit groupEvents(Settings settings) {
        return limit(
                settings,
                GROUP_EVENTS_PER_SECOND_PROP,
                GROUP_EVENTS_PER_SECOND_DEFAULT,
                TimeUnit.SECONDS,
                GROUP_EVENTS_BURST_PROP,
                GROUP_EVENTS_BURST_DEFAULT);
    }

    public static LimitsContext from(Settings settings) {
        return new LimitsContext(settings);
    }

    /** {@code send} frames per connection. */
    public RateLimit sends() {
        return sends;
    }

    /** {@code typing} frames per connection. */
    public RateLimit typing() {
        return typing;
    }

    /** Members named by group changes per connection: a create counts its members and the creator, a leave 1. */
    public RateLimit groupChanges() {
        return groupChanges;
    }

    /** {@code sub} frames per connection. */
    public RateLimit subscriptions() {
        return subscriptions;
    }

    /** {@code POST /v1/accounts} per remote address. */
    public RateLimit registrations() {
        return registrations;
    }

    /** {@code POST /v1/devices/link} per remote address. */
    public RateLimit linkCodes() {
        return linkCodes;
    }

    /** {@code send} frames of one user's connections together. */
    public RateLimit userSends() {
        return userSends;
    }

    /** {@code typing} frames of one user's connections together. */
    public RateLimit userTyping() {
        return userTyping;
    }

    /** Members named by group changes of one user's connections together. */
    public RateLimit userGroupChanges() {
        return userGroupChanges;
    }

    /** {@code sub} frames of one user's connections together. */
    public RateLimit userSubscriptions() {
        return userSubscriptions;
    }

    /** {@code PUT /v1/settings/privacy} and {@code PUT /v1/contacts} per remote address. */
    public RateLimit privacyChanges() {
        return privacyChanges;
    }

    /** {@code POST /v1/media} per remote address. */
    public RateLimit mediaUploads() {
        return mediaUploads;
    }

    /** {@code GET /v1/keys/{user}[/{device}]} per remote address. */
    public RateLimit keyFetches() {
        return keyFetches;
    }

    /** Remote addresses whose HTTP buckets each I/O loop keeps at most. */
    public int addresses() {
        return addresses;
    }

    @Override
    public String toString() {
        return "limits: sends=" + sends + " typing=" + typing + " groupChanges=" + groupChanges + " subscriptions="
                + subscriptions + " perUser: sends=" + userSends + " typing=" + userTyping + " groupChanges="
                + userGroupChanges + " subscriptions=" + userSubscriptions + "; registrations=" + registrations
                + " linkCodes=" + linkCodes + " privacyChanges=" + privacyChanges + " mediaUploads=" + mediaUploads
                + " keyFetches=" + keyFetches + " addresses=" + addresses;
    }
}
