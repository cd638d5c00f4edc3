package io.switchboard.core.limits;

import io.switchboard.core.config.LimitsContext;
import io.switchboard.core.config.RateLimit;
import io.switchboard.core.protocol.Frame;

/**
 * The rate limits of one WebSocket connection: a bucket each for sends, typing, group changes and presence
 * subscriptions, and behind them the same kinds of bucket that all the user's connections share ({@link UserLimits},
 * once the connection said hello). Checked on the connection's I/O loop before a frame goes to the router, so a
 * refused frame reaches no owner and costs no ring record; owned by that loop's thread (the connection's {@code
 * SessionHandler}). The user's buckets are checked here rather than at an owner because a send goes to the owner of
 * its recipient, never to its sender's, so no owner sees all of a user's sends.
 */
public final class ConnectionLimits {
    private final LimitsContext limits;
    private final TokenBucket sends;
    private final TokenBucket typing;
    private final TokenBucket groupChanges;
    private final TokenBucket subscriptions;
    private UserLimits user;
    private LimitKind refused;
    private String refusal;

    public ConnectionLimits(LimitsContext limits, long nowNs) {
        this.limits = limits;
        this.sends = new TokenBucket(nowNs);
        this.typing = new TokenBucket(nowNs);
        this.groupChanges = new TokenBucket(nowNs);
        this.subscriptions = new TokenBucket(nowNs);
    }

    /** From the connection's hello on, its frames also draw on the budget of its user's connections together. */
    public void user(UserLimits user) {
        this.user = user;
    }

    /**
     * Takes what {@code frame} costs. Returns 0 when it may go on; otherwise how many nanoseconds until it could have,
     * with {@link #refused()} naming the limit. Frames no limit covers always go on: a {@code group.leave} among them,
     * since a member must always be able to leave.
     */
    public long check(Frame frame, long nowNs) {
        return switch (frame.type()) {
            case SEND -> take(LimitKind.SEND, sends, limits.sends(), limits.userSends(), 1, nowNs);
            case TYPING -> take(LimitKind.TYPING, typing, limits.typing(), limits.userTyping(), 1, nowNs);
            // The creator is a member too: a create's group.event goes to every one of them.
            case GROUP_CREATE ->
                take(
                        LimitKind.GROUP_CHANGE,
                        groupChanges,
                        limits.groupChanges(),
                        limits.userGroupChanges(),
                        frame.members().size() + 1L,
                        nowNs);
            case GROUP_ADD, GROUP_REMOVE ->
                take(
                        LimitKind.GROUP_CHANGE,
                        groupChanges,
                        limits.groupChanges(),
                        limits.userGroupChanges(),
                        frame.members().size(),
                        nowNs);
            // Accepting an invite adds one member, as an add naming one would.
            case GROUP_JOIN ->
                take(LimitKind.GROUP_CHANGE, groupChanges, limits.groupChanges(), limits.userGroupChanges(), 1, nowNs);
            case SUB ->
                take(LimitKind.SUBSCRIBE, subscriptions, limits.subscriptions(), limits.userSubscriptions(), 1, nowNs);
            default -> 0;
        };
    }

    /** The limit of the last refusal. */
    public LimitKind refused() {
        return refused;
    }

    /** What the last refusal says: whether the connection's own budget or its user's refused it. */
    public String refusal() {
        return refusal;
    }

    private long take(
            LimitKind kind, TokenBucket bucket, RateLimit limit, RateLimit userLimit, long weight, long nowNs) {
        long waitNs = bucket.take(limit, weight, nowNs);
        if (waitNs != 0) {
            refused = kind;
            refusal = kind.refusal;
            return waitNs;
        }
        if (user != null) {
            waitNs = user.take(kind, userLimit, weight, nowNs);
            if (waitNs != 0) {
                refused = kind;
                refusal = kind.userRefusal;
            }
        }
        return waitNs;
    }
}
