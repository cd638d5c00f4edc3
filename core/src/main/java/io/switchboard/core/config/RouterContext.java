package io.switchboard.core.config;

/**
 * How commands reach the owners of user state, and the bounds on that state: ring capacities, the per-device queue
 * limit and the delivery window (messages sent to a device but not yet acknowledged with {@code recv}), how group
 * messages fan out, and the group and presence limits.
 */
public final class RouterContext {
    public static final String ROUTING_PROP = "router.routing";
    public static final Routing ROUTING_DEFAULT = Routing.SHARDED;
    public static final String SHARDS_PROP = "router.shards";
    public static final String IDLE_STRATEGY_PROP = "router.idleStrategy";
    public static final IdleStrategyName IDLE_STRATEGY_DEFAULT = IdleStrategyName.BACKOFF;
    public static final String INBOX_BYTES_PROP = "router.inboxBytes";
    public static final int INBOX_BYTES_DEFAULT = 16 * 1024 * 1024;
    public static final String OUTBOX_BYTES_PROP = "router.outboxBytes";
    public static final int OUTBOX_BYTES_DEFAULT = 16 * 1024 * 1024;
    public static final String OUTBOX_HIGH_BYTES_PROP = "router.outboxHighBytes";
    /**
     * Unset: a sixteenth of the outbox, 1 MiB by default, about 10k records or 50 ms of an in-process loop's drain.
     * Above it the loop is behind on deliveries and a shard refuses new sends (see {@link #outboxHighBytes()}).
     */
    public static final int OUTBOX_HIGH_FRACTION = 16;

    public static final String MAX_SEND_WAIT_MS_PROP = "router.maxSendWaitMs";
    /**
     * A send that waited a second finds its shard behind. Not the 50 ms p99 the scenarios hold the server to: a server
     * just started (cold JIT, a new journal cycle) refused the third send of a durable run at 50 ms, on this machine.
     */
    public static final int MAX_SEND_WAIT_MS_DEFAULT = 1000;

    public static final String PEER_INBOX_BYTES_PROP = "router.peerInboxBytes";
    /** Peer records are 40-byte receipts: 1 MiB holds 20k of them, and a full ring only makes the writer wait. */
    public static final int PEER_INBOX_BYTES_DEFAULT = 1024 * 1024;

    public static final String DELIVERY_WINDOW_PROP = "router.deliveryWindow";
    public static final int DELIVERY_WINDOW_DEFAULT = 256;
    public static final String MAX_QUEUED_PER_DEVICE_PROP = "router.maxQueuedPerDevice";
    public static final int MAX_QUEUED_PER_DEVICE_DEFAULT = 100_000;
    public static final String MAX_QUEUED_BYTES_PER_DEVICE_PROP = "router.maxQueuedBytesPerDevice";
    /** 64 messages of the largest body a default frame carries, and thousands of everyday ones. */
    public static final long MAX_QUEUED_BYTES_PER_DEVICE_DEFAULT = 64L * 1024 * 1024;

    public static final String MAX_QUEUED_BYTES_PROP = "router.maxQueuedBytes";
    /**
     * A quarter of the heap: the rest is for the unread lists ({@link #maxUnreadBytesDefault()}), the state that is not
     * counted (sessions, groups, receipts, Netty and Chronicle's own) and for the collector's headroom. The launcher
     * passes no {@code -Xmx}, so the heap is the JVM's default of a quarter of the machine's memory.
     */
    public static long maxQueuedBytesDefault() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    public static final String MAX_HEAP_BODY_BYTES_PROP = "router.maxHeapBodyBytes";

    /**
     * An eighth of the heap, half of {@link #maxQueuedBytesDefault()}: one-to-one bodies past it wait in the journal
     * (read back on delivery), and without a journal are refused.
     */
    public static long maxHeapBodyBytesDefault() {
        return Runtime.getRuntime().maxMemory() / 8;
    }

    public static final String MAX_UNREAD_PER_USER_PROP = "router.maxUnreadPerUser";
    /**
     * 40 bytes of arrays per slot, up to four slots per entry: at most about 1.6 MB for a user who reads nothing,
     * however much is sent to it.
     */
    public static final int MAX_UNREAD_PER_USER_DEFAULT = 10_000;

    public static final String MAX_UNREAD_BYTES_PROP = "router.maxUnreadBytes";
    /** Below it an owner of the 64 lock stripes would keep fewer than about a hundred unread entries. */
    public static final long MAX_UNREAD_BYTES_MIN = 1024 * 1024;

    /**
     * A sixteenth of the heap: with {@link #maxQueuedBytesDefault()}'s quarter it leaves over two thirds of the heap
     * for the state that is counted nowhere (sessions, groups, held receipts) and the collector's headroom. On the
     * soak's 6 GiB default heap that is 376 MiB, about 2.5 million unread entries: four minutes of its never-read
     * messages, or 250 for each of its 10,000 users. Unread entries hold no bodies, only what a read receipt needs,
     * so they need not compete with the queues for the larger share.
     */
    public static long maxUnreadBytesDefault() {
        return Runtime.getRuntime().maxMemory() / 16;
    }

    public static final String HEAP_BODIES_PROP = "router.heapBodies";
    public static final HeapBodies HEAP_BODIES_DEFAULT = HeapBodies.WAITING;
    public static final String FANOUT_PROP = "router.fanout";
    public static final Fanout FANOUT_DEFAULT = Fanout.SINGLE_COPY;
    public static final String MAX_GROUP_MEMBERS_PROP = "router.maxGroupMembers";
    public static final int MAX_GROUP_MEMBERS_DEFAULT = 1024;
    public static final String MAX_GROUPS_PER_USER_PROP = "router.maxGroupsPerUser";
    public static final int MAX_GROUPS_PER_USER_DEFAULT = 1024;
    public static final String GROUP_INVITE_EXPIRY_MS_PROP = "router.groupInviteExpiryMs";
    /** 72 hours, as WhatsApp's group invites. */
    public static final long GROUP_INVITE_EXPIRY_MS_DEFAULT = 72L * 60 * 60 * 1000;

    public static final String MAX_SUBSCRIPTIONS_PROP = "router.maxSubscriptions";
    public static final int MAX_SUBSCRIPTIONS_DEFAULT = 1024;

    private final Routing routing;
    private final int shards;
    private final IdleStrategyName idleStrategy;
    private final int inboxBytes;
    private final int outboxBytes;
    private final int outboxHighBytes;
    private final int maxSendWaitMs;
    private final int peerInboxBytes;
    private final int deliveryWindow;
    private final int maxQueuedPerDevice;
    private final long maxQueuedBytesPerDevice;
    private final long maxQueuedBytes;
    private final long maxHeapBodyBytes;
    private final HeapBodies heapBodies;
    private final int maxUnreadPerUser;
    private final long maxUnreadBytes;
    private final Fanout fanout;
    private final int maxGroupMembers;
    private final int maxGroupsPerUser;
    private final int maxSubscriptions;
    private final long groupInviteExpiryMs;
    private final RateLimit groupEvents;

    private RouterContext(Settings settings, int maxFrameBytes) {
        routing = settings.choice(ROUTING_PROP, ROUTING_DEFAULT);
        shards = settings.integer(SHARDS_PROP, Runtime.getRuntime().availableProcessors(), 1, 1024);
        idleStrategy = settings.choice(IDLE_STRATEGY_PROP, IDLE_STRATEGY_DEFAULT);
        inboxBytes = powerOfTwo(settings, INBOX_BYTES_PROP, INBOX_BYTES_DEFAULT, maxFrameBytes);
        outboxBytes = powerOfTwo(settings, OUTBOX_BYTES_PROP, OUTBOX_BYTES_DEFAULT, maxFrameBytes);
        // Below the capacity by at least one largest record, so that a refusal still fits after the mark is passed.
        outboxHighBytes = settings.integer(
                OUTBOX_HIGH_BYTES_PROP, outboxBytes / OUTBOX_HIGH_FRACTION, 1024, outboxBytes - outboxBytes / 8);
        maxSendWaitMs = settings.integer(MAX_SEND_WAIT_MS_PROP, MAX_SEND_WAIT_MS_DEFAULT, 1, 60_000);
        // Its records are receipts of a fixed size, not frames: small enough for a test to fill it.
        peerInboxBytes = powerOfTwoAtLeast(settings, PEER_INBOX_BYTES_PROP, PEER_INBOX_BYTES_DEFAULT, 4 * 1024);
        deliveryWindow = settings.integer(DELIVERY_WINDOW_PROP, DELIVERY_WINDOW_DEFAULT, 1, 1 << 20);
        maxQueuedPerDevice =
                settings.integer(MAX_QUEUED_PER_DEVICE_PROP, MAX_QUEUED_PER_DEVICE_DEFAULT, 1, Integer.MAX_VALUE / 2);
        // A device must hold at least one message of the largest frame; the server at least one device's worth.
        maxQueuedBytesPerDevice = settings.longValue(
                MAX_QUEUED_BYTES_PER_DEVICE_PROP,
                MAX_QUEUED_BYTES_PER_DEVICE_DEFAULT,
                (long) maxFrameBytes + 128,
                Long.MAX_VALUE / 4);
        maxQueuedBytes = settings.longValue(
                MAX_QUEUED_BYTES_PROP,
                Math.max(maxQueuedBytesDefault(), maxQueuedBytesPerDevice),
                maxQueuedBytesPerDevice,
                Long.MAX_VALUE / 4);
        maxHeapBodyBytes =
                settings.longValue(MAX_HEAP_BODY_BYTES_PROP, maxHeapBodyBytesDefault(), 0, Long.MAX_VALUE / 4);
        maxUnreadPerUser =
                settings.integer(MAX_UNREAD_PER_USER_PROP, MAX_UNREAD_PER_USER_DEFAULT, 1, Integer.MAX_VALUE / 8);
        maxUnreadBytes = settings.longValue(
                MAX_UNREAD_BYTES_PROP,
                Math.max(maxUnreadBytesDefault(), MAX_UNREAD_BYTES_MIN),
                MAX_UNREAD_BYTES_MIN,
                Long.MAX_VALUE / 4);
        heapBodies = settings.choice(HEAP_BODIES_PROP, HEAP_BODIES_DEFAULT);
        fanout = settings.choice(FANOUT_PROP, FANOUT_DEFAULT);
        maxGroupMembers = settings.integer(MAX_GROUP_MEMBERS_PROP, MAX_GROUP_MEMBERS_DEFAULT, 2, 100_000);
        maxGroupsPerUser = settings.integer(MAX_GROUPS_PER_USER_PROP, MAX_GROUPS_PER_USER_DEFAULT, 1, 1 << 20);
        maxSubscriptions = settings.integer(MAX_SUBSCRIPTIONS_PROP, MAX_SUBSCRIPTIONS_DEFAULT, 1, 1 << 20);
        groupEvents = LimitsContext.groupEvents(settings);
        groupInviteExpiryMs = settings.longValue(
                GROUP_INVITE_EXPIRY_MS_PROP, GROUP_INVITE_EXPIRY_MS_DEFAULT, 100, 30L * 24 * 60 * 60 * 1000);
    }

    /**
     * Agrona rings need a power-of-two capacity, and one record must fit: a frame of maxFrameBytes becomes a record
     * of about that size, and a ring takes records up to an eighth of its capacity.
     */
    private static int powerOfTwo(Settings settings, String key, int defaultValue, int maxFrameBytes) {
        int value = powerOfTwoAtLeast(settings, key, defaultValue, 64 * 1024);
        if (value / 8 < maxFrameBytes + 1024) {
            throw settings.invalid(
                    key,
                    "expected at least 8 x (" + TransportContext.MAX_FRAME_BYTES_PROP + " + 1k) = "
                            + 8L * (maxFrameBytes + 1024) + " so that the largest frame fits a ring record");
        }
        return value;
    }

    private static int powerOfTwoAtLeast(Settings settings, String key, int defaultValue, int minimumBytes) {
        int value = settings.integer(key, defaultValue, minimumBytes, 1 << 30);
        if (Integer.bitCount(value) != 1) {
            throw settings.invalid(key, "expected a power of two, not " + value);
        }
        return value;
    }

    public static RouterContext from(Settings settings, int maxFrameBytes) {
        return new RouterContext(settings, maxFrameBytes);
    }

    public Routing routing() {
        return routing;
    }

    public int shards() {
        return shards;
    }

    public IdleStrategyName idleStrategy() {
        return idleStrategy;
    }

    public int inboxBytes() {
        return inboxBytes;
    }

    public int outboxBytes() {
        return outboxBytes;
    }

    /**
     * Bytes in an I/O loop's outbox above which the loop is behind on deliveries: a shard then refuses new sends with
     * {@code unavailable} rather than accept work the loop cannot deliver soon.
     */
    public int outboxHighBytes() {
        return outboxHighBytes;
    }

    /** How long a send may wait in a shard's inbox; one that waited longer is refused with {@code unavailable}. */
    public int maxSendWaitMs() {
        return maxSendWaitMs;
    }

    /** Each shard's ring of receipts from other shards. */
    public int peerInboxBytes() {
        return peerInboxBytes;
    }

    public int deliveryWindow() {
        return deliveryWindow;
    }

    public int maxQueuedPerDevice() {
        return maxQueuedPerDevice;
    }

    /** Bytes one device's queue may hold: bodies and 128 per entry. */
    public long maxQueuedBytesPerDevice() {
        return maxQueuedBytesPerDevice;
    }

    /** Bytes all queues of the server may hold together, a group message's single copy counted once per owner. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** Bytes of one-to-one bodies the queues may hold on the heap; past it they stay in the journal. */
    public long maxHeapBodyBytes() {
        return maxHeapBodyBytes;
    }

    /** Messages delivered to a user and not yet read that a {@code read} can still count for. */
    public int maxUnreadPerUser() {
        return maxUnreadPerUser;
    }

    /**
     * Bytes the unread entries of all owners may take together, split evenly between the owners; past its share an
     * owner forgets its oldest.
     */
    public long maxUnreadBytes() {
        return maxUnreadBytes;
    }

    /** Which one-to-one bodies are copied to the heap, within {@link #maxHeapBodyBytes()}. */
    public HeapBodies heapBodies() {
        return heapBodies;
    }

    public Fanout fanout() {
        return fanout;
    }

    /** Members per group, the creator included. */
    public int maxGroupMembers() {
        return maxGroupMembers;
    }

    /** Groups a user may be a member of. */
    public int maxGroupsPerUser() {
        return maxGroupsPerUser;
    }

    /** Presence subscriptions per connection. */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** Each group's budget of member notifications from adds and removes ({@code limits.groupEvents.*}). */
    public RateLimit groupEvents() {
        return groupEvents;
    }

    /** How long an invite to a group, made for a user whose privacy refused the add, may be accepted. */
    public long groupInviteExpiryMs() {
        return groupInviteExpiryMs;
    }

    @Override
    public String toString() {
        return "routing=" + routing.configName() + " shards=" + shards + " idleStrategy=" + idleStrategy.configName()
                + " inboxBytes=" + inboxBytes + " outboxBytes=" + outboxBytes + " outboxHighBytes=" + outboxHighBytes
                + " maxSendWaitMs="
                + maxSendWaitMs + " peerInboxBytes=" + peerInboxBytes
                + " deliveryWindow=" + deliveryWindow
                + " maxQueuedPerDevice=" + maxQueuedPerDevice + " maxQueuedBytesPerDevice=" + maxQueuedBytesPerDevice
                + " maxQueuedBytes=" + maxQueuedBytes + " maxHeapBodyBytes=" + maxHeapBodyBytes + " heapBodies="
                + heapBodies.configName()
                + " maxUnreadPerUser="
                + maxUnreadPerUser + " maxUnreadBytes=" + maxUnreadBytes + " fanout="
                + fanout.configName() + " maxGroupMembers=" + maxGroupMembers + " maxGroupsPerUser=" + maxGroupsPerUser
                + " maxSubscriptions=" + maxSubscriptions + " groupEvents=" + groupEvents + " groupInviteExpiryMs="
                + groupInviteExpiryMs;
    }
}
