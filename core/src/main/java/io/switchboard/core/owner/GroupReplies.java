package io.switchboard.core.owner;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;

/**
 * The answers to group requests and sends, and the checks every one of them starts with: the group exists, the user
 * is a member (or an admin). A request is answered by its {@code req}, a send by its {@code id}.
 *
 * <p>Owner thread only.
 */
final class GroupReplies {
    static final String NO_GROUP = "no such group";

    private final Outbound out;
    private final Frame reply = new Frame();

    GroupReplies(Outbound out) {
        this.out = out;
    }

    /** Whether the group exists and has the user; answers the request ({@code req}) or send ({@code id}) if not. */
    boolean member(long user, long connection, long req, long id, Group group) {
        if (group == null) {
            reject(connection, req, id, ErrorCode.UNKNOWN_RECIPIENT, NO_GROUP);
            return false;
        }
        if (!group.has(user)) {
            reject(connection, req, id, ErrorCode.FORBIDDEN, "not a member of " + group.id);
            return false;
        }
        return true;
    }

    boolean admin(long user, long connection, long req, Group group) {
        if (!member(user, connection, req, 0, group)) {
            return false;
        }
        if (!group.hasAdmin(user)) {
            fail(connection, req, ErrorCode.FORBIDDEN, "only an admin changes the members of " + group.id);
            return false;
        }
        return true;
    }

    private void reject(long connection, long req, long id, ErrorCode code, String message) {
        if (id != 0) {
            out.error(connection, code, id, message, 0, 0);
        } else {
            fail(connection, req, code, message);
        }
    }

    /**
     * A refused group request: the {@code error} frame that protocol.md promises, then a {@code result} with
     * {@code ok:false} so that the client can match the refusal to its {@code req}.
     */
    void fail(long connection, long req, ErrorCode code, String message) {
        out.error(connection, code, 0, message, 0, 0);
        out.frame(
                connection,
                reply.reset(FrameType.RESULT).req(req).ok(false).code(code).message(message));
    }

    /** A group request over its group's budget: {@code rate-limited} with when to retry, then its result. */
    void rateLimited(long connection, long req, long retryAfterMs, String message) {
        out.frame(
                connection,
                reply.reset(FrameType.ERROR)
                        .code(ErrorCode.RATE_LIMITED)
                        .req(req)
                        .retryAfterMs(retryAfterMs)
                        .message(message));
        out.frame(
                connection,
                reply.reset(FrameType.RESULT)
                        .req(req)
                        .ok(false)
                        .code(ErrorCode.RATE_LIMITED)
                        .message(message));
    }

    /** A request done; {@code invited} names the users it invited instead of adding them, if any. */
    void succeed(long connection, long req, long[] invited) {
        reply.reset(FrameType.RESULT).req(req).ok(true);
        for (long user : invited) {
            reply.addInvited(user);
        }
        out.frame(connection, reply);
    }

    /** The group's members and admins, for {@code group.info}. */
    void info(long connection, long req, Group group) {
        reply.reset(FrameType.RESULT).req(req).ok(true);
        for (long member : group.members) {
            reply.addMember(member);
        }
        for (long admin : group.admins) {
            reply.addAdmin(admin);
        }
        out.frame(connection, reply);
    }
}
