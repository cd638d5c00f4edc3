package io.switchboard.core.protocol;

import io.switchboard.core.protocol.sbe.AckEncoder;
import io.switchboard.core.protocol.sbe.Bool;
import io.switchboard.core.protocol.sbe.EnvelopeTypeCode;
import io.switchboard.core.protocol.sbe.ErrorCodeCode;
import io.switchboard.core.protocol.sbe.ErrorEncoder;
import io.switchboard.core.protocol.sbe.GroupAddEncoder;
import io.switchboard.core.protocol.sbe.GroupCreateEncoder;
import io.switchboard.core.protocol.sbe.GroupEventEncoder;
import io.switchboard.core.protocol.sbe.GroupEventKindCode;
import io.switchboard.core.protocol.sbe.GroupInfoEncoder;
import io.switchboard.core.protocol.sbe.GroupInviteEncoder;
import io.switchboard.core.protocol.sbe.GroupJoinEncoder;
import io.switchboard.core.protocol.sbe.GroupLeaveEncoder;
import io.switchboard.core.protocol.sbe.GroupRemoveEncoder;
import io.switchboard.core.protocol.sbe.HelloEncoder;
import io.switchboard.core.protocol.sbe.KeysLowEncoder;
import io.switchboard.core.protocol.sbe.MessageHeaderEncoder;
import io.switchboard.core.protocol.sbe.MsgEncoder;
import io.switchboard.core.protocol.sbe.PingEncoder;
import io.switchboard.core.protocol.sbe.PongEncoder;
import io.switchboard.core.protocol.sbe.PresenceEncoder;
import io.switchboard.core.protocol.sbe.ReadEncoder;
import io.switchboard.core.protocol.sbe.ReceiptAckEncoder;
import io.switchboard.core.protocol.sbe.ReceiptEncoder;
import io.switchboard.core.protocol.sbe.ReceiptKindCode;
import io.switchboard.core.protocol.sbe.RecvEncoder;
import io.switchboard.core.protocol.sbe.ResultEncoder;
import io.switchboard.core.protocol.sbe.SendEncoder;
import io.switchboard.core.protocol.sbe.SubEncoder;
import io.switchboard.core.protocol.sbe.TypingEncoder;
import io.switchboard.core.protocol.sbe.UnsubEncoder;
import io.switchboard.core.protocol.sbe.WelcomeEncoder;
import java.util.Arrays;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;

/**
 * Encodes a {@link Frame} as {@code sb.bin.v1} with the SBE flyweights generated from src/main/resources/sbe/sb-bin-v1.xml:
 * the header, then every field of the type's message, optional ones empty or zero when absent and their {@code
 * present} choices set as the frame has them; bodies raw. Decoding and re-encoding a frame reproduces it byte for byte.
 *
 * <p>The frame is trusted, as by {@link JsonFrameEncoder}: a frame missing a required enum or its {@code msg} envelope
 * throws {@link IllegalStateException}. Allocates nothing once an expandable destination has grown. Not thread-safe:
 * use one per thread.
 */
public final class BinaryFrameEncoder {
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final HelloEncoder hello = new HelloEncoder();
    private final WelcomeEncoder welcome = new WelcomeEncoder();
    private final PingEncoder ping = new PingEncoder();
    private final PongEncoder pong = new PongEncoder();
    private final SendEncoder send = new SendEncoder();
    private final AckEncoder ack = new AckEncoder();
    private final MsgEncoder msg = new MsgEncoder();
    private final RecvEncoder recv = new RecvEncoder();
    private final ReceiptEncoder receipt = new ReceiptEncoder();
    private final ReadEncoder read = new ReadEncoder();
    private final ErrorEncoder error = new ErrorEncoder();
    private final GroupCreateEncoder groupCreate = new GroupCreateEncoder();
    private final GroupAddEncoder groupAdd = new GroupAddEncoder();
    private final GroupRemoveEncoder groupRemove = new GroupRemoveEncoder();
    private final GroupLeaveEncoder groupLeave = new GroupLeaveEncoder();
    private final GroupInfoEncoder groupInfo = new GroupInfoEncoder();
    private final ResultEncoder result = new ResultEncoder();
    private final GroupEventEncoder groupEvent = new GroupEventEncoder();
    private final SubEncoder sub = new SubEncoder();
    private final UnsubEncoder unsub = new UnsubEncoder();
    private final PresenceEncoder presence = new PresenceEncoder();
    private final TypingEncoder typing = new TypingEncoder();
    private final ReceiptAckEncoder receiptAck = new ReceiptAckEncoder();
    private final GroupInviteEncoder groupInvite = new GroupInviteEncoder();
    private final GroupJoinEncoder groupJoin = new GroupJoinEncoder();
    private final KeysLowEncoder keysLow = new KeysLowEncoder();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);

    /**
     * Writes {@code frame} to {@code dst} at {@code offset} and returns the number of bytes written. An expandable
     * {@code dst} grows as needed; a fixed one must have room, or this throws {@link IndexOutOfBoundsException}.
     */
    public int encode(final Frame frame, final MutableDirectBuffer dst, final int offset) {
        final FrameType type = frame.type();
        if (type == null) {
            throw new IllegalStateException("frame has no type: call reset(type) first");
        }
        return write(type, frame, dst, offset) - offset;
    }

    /** The frame as a new byte array: for tests and clients. */
    public byte[] encode(final Frame frame) {
        final int length = encode(frame, scratch, 0);
        // After encoding: the scratch array may have grown.
        return Arrays.copyOf(scratch.byteArray(), length);
    }

    /** Returns the limit after the frame. */
    private int write(final FrameType type, final Frame f, final MutableDirectBuffer dst, final int offset) {
        return switch (type) {
            case HELLO ->
                hello.wrapAndApplyHeader(dst, offset, header)
                        .user(f.user())
                        .device((short) f.device())
                        .receiptAcks(bool(f.receiptAcks()))
                        .putToken(f.token().array(), 0, f.token().length())
                        .limit();
            case WELCOME ->
                welcome.wrapAndApplyHeader(dst, offset, header)
                        .user(f.user())
                        .ts(f.ts())
                        .device((short) f.device())
                        .receiptAcks(bool(f.receiptAcks()))
                        .limit();
            case PING -> ping.wrapAndApplyHeader(dst, offset, header).limit();
            case PONG -> pong.wrapAndApplyHeader(dst, offset, header).ts(f.ts()).limit();
            case SEND -> send(f, dst, offset);
            case ACK ->
                ack.wrapAndApplyHeader(dst, offset, header)
                        .id(f.id())
                        .ts(f.ts())
                        .limit();
            case MSG -> msg(f, dst, offset);
            case RECV ->
                recv.wrapAndApplyHeader(dst, offset, header).seq(f.seq()).limit();
            case RECEIPT ->
                receipt.wrapAndApplyHeader(dst, offset, header)
                        .id(f.id())
                        .toUser(f.toUser())
                        .ts(f.ts())
                        .rseq(f.rseq())
                        .kind(ReceiptKindCode.get(
                                required(f.kind(), type, "kind").code()))
                        .putToGroup(f.toGroup().array(), 0, f.toGroup().length())
                        .limit();
            case READ -> read(f, dst, offset);
            case ERROR -> error(f, dst, offset);
            case GROUP_CREATE -> groupCreate(f, dst, offset);
            case GROUP_ADD -> groupAdd(f, dst, offset);
            case GROUP_REMOVE -> groupRemove(f, dst, offset);
            case GROUP_LEAVE ->
                groupLeave
                        .wrapAndApplyHeader(dst, offset, header)
                        .req(f.req())
                        .putGroup(f.group().array(), 0, f.group().length())
                        .limit();
            case GROUP_INFO ->
                groupInfo
                        .wrapAndApplyHeader(dst, offset, header)
                        .req(f.req())
                        .putGroup(f.group().array(), 0, f.group().length())
                        .limit();
            case RESULT -> result(f, dst, offset);
            case GROUP_EVENT -> groupEvent(f, dst, offset);
            case SUB ->
                sub.wrapAndApplyHeader(dst, offset, header).user(f.user()).limit();
            case UNSUB ->
                unsub.wrapAndApplyHeader(dst, offset, header).user(f.user()).limit();
            case PRESENCE -> {
                final PresenceEncoder e = presence.wrapAndApplyHeader(dst, offset, header)
                        .user(f.user())
                        .lastSeen(f.hasLastSeen() ? f.lastSeen() : 0)
                        .online(bool(f.online()));
                e.present().clear().lastSeen(f.hasLastSeen());
                yield e.limit();
            }
            case TYPING -> typing(f, dst, offset);
            case RECEIPT_ACK ->
                receiptAck
                        .wrapAndApplyHeader(dst, offset, header)
                        .rseq(f.rseq())
                        .limit();
            case GROUP_INVITE ->
                groupInvite
                        .wrapAndApplyHeader(dst, offset, header)
                        .by(f.by())
                        .expiresAt(f.expiresAt())
                        .putGroup(f.group().array(), 0, f.group().length())
                        .putInvite(f.invite().array(), 0, f.invite().length())
                        .limit();
            case GROUP_JOIN ->
                groupJoin
                        .wrapAndApplyHeader(dst, offset, header)
                        .req(f.req())
                        .putGroup(f.group().array(), 0, f.group().length())
                        .putInvite(f.invite().array(), 0, f.invite().length())
                        .limit();
            case KEYS_LOW ->
                keysLow.wrapAndApplyHeader(dst, offset, header)
                        .preKeys(f.preKeys())
                        .kyberPreKeys(f.kyberPreKeys())
                        .limit();
        };
    }

    private int send(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final SendEncoder e = send.wrapAndApplyHeader(dst, offset, header)
                .id(f.id())
                .toUser(f.toUser())
                .mediaSize(f.hasMedia() ? f.mediaSize() : 0);
        e.present().clear().media(f.hasMedia());
        final int count = f.envelopeCount();
        final SendEncoder.EnvEncoder env = e.envCount(count);
        for (int i = 0; i < count; i++) {
            env.next()
                    .device((short) f.envelopeDevice(i))
                    .type(envelopeType(f.envelopeType(i)))
                    .putBody(f.bodies(), f.envelopeBodyOffset(i), f.envelopeBodyLength(i));
        }
        e.putToGroup(f.toGroup().array(), 0, f.toGroup().length());
        return e.putMediaId(f.mediaId().array(), 0, f.hasMedia() ? f.mediaId().length() : 0)
                .limit();
    }

    private int msg(final Frame f, final MutableDirectBuffer dst, final int offset) {
        if (f.envelopeCount() == 0) {
            throw new IllegalStateException("'msg' frame has no envelope for its type and body");
        }
        final MsgEncoder e = msg.wrapAndApplyHeader(dst, offset, header)
                .seq(f.seq())
                .id(f.id())
                .fromUser(f.fromUser())
                .ts(f.ts())
                .mediaSize(f.hasMedia() ? f.mediaSize() : 0)
                .fromDevice((short) f.fromDevice())
                .type(envelopeType(f.envelopeType(0)));
        e.present().clear().media(f.hasMedia());
        return e.putGroup(f.group().array(), 0, f.group().length())
                .putMediaId(f.mediaId().array(), 0, f.hasMedia() ? f.mediaId().length() : 0)
                .putBody(f.bodies(), f.envelopeBodyOffset(0), f.envelopeBodyLength(0))
                .limit();
    }

    private int read(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final ReadEncoder e = read.wrapAndApplyHeader(dst, offset, header)
                .fromUser(f.fromUser())
                .fromDevice((short) f.fromDevice());
        final LongArrayList ids = f.ids();
        final ReadEncoder.IdsEncoder list = e.idsCount(ids.size());
        for (int i = 0, n = ids.size(); i < n; i++) {
            list.next().id(ids.getLong(i));
        }
        return e.limit();
    }

    private int error(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final ErrorEncoder e = error.wrapAndApplyHeader(dst, offset, header)
                .id(f.hasId() ? f.id() : 0)
                .req(f.hasReq() ? f.req() : 0)
                .retryAfterMs(f.retryAfterMs())
                .code(errorCode(required(f.code(), FrameType.ERROR, "code")));
        e.present()
                .clear()
                .id(f.hasId())
                .req(f.hasReq())
                .message(f.hasMessage())
                .missing(f.hasMissing())
                .extra(f.hasExtra());
        final ErrorEncoder.MissingEncoder missing = e.missingCount(f.missing().size());
        for (int i = 0, n = f.missing().size(); i < n; i++) {
            missing.next().device((short) f.missing().getInt(i));
        }
        final ErrorEncoder.ExtraEncoder extra = e.extraCount(f.extra().size());
        for (int i = 0, n = f.extra().size(); i < n; i++) {
            extra.next().device((short) f.extra().getInt(i));
        }
        return e.putMessage(f.message().array(), 0, f.message().length()).limit();
    }

    private int groupCreate(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final GroupCreateEncoder e =
                groupCreate.wrapAndApplyHeader(dst, offset, header).req(f.req());
        e.present().clear().name(f.hasName());
        final GroupCreateEncoder.MembersEncoder members =
                e.membersCount(f.members().size());
        for (int i = 0, n = f.members().size(); i < n; i++) {
            members.next().user(f.members().getLong(i));
        }
        return e.putGroup(f.group().array(), 0, f.group().length())
                .putName(f.name().array(), 0, f.name().length())
                .limit();
    }

    private int groupAdd(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final GroupAddEncoder e =
                groupAdd.wrapAndApplyHeader(dst, offset, header).req(f.req());
        final GroupAddEncoder.MembersEncoder members =
                e.membersCount(f.members().size());
        for (int i = 0, n = f.members().size(); i < n; i++) {
            members.next().user(f.members().getLong(i));
        }
        return e.putGroup(f.group().array(), 0, f.group().length()).limit();
    }

    private int groupRemove(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final GroupRemoveEncoder e =
                groupRemove.wrapAndApplyHeader(dst, offset, header).req(f.req());
        final GroupRemoveEncoder.MembersEncoder members =
                e.membersCount(f.members().size());
        for (int i = 0, n = f.members().size(); i < n; i++) {
            members.next().user(f.members().getLong(i));
        }
        return e.putGroup(f.group().array(), 0, f.group().length()).limit();
    }

    private int result(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final ResultEncoder e = result.wrapAndApplyHeader(dst, offset, header)
                .req(f.req())
                .ok(bool(f.ok()))
                .code(f.code() == null ? ErrorCodeCode.AUTH : errorCode(f.code()));
        e.present()
                .clear()
                .code(f.code() != null)
                .members(f.hasMembers())
                .admins(f.hasAdmins())
                .invited(f.hasInvited())
                .message(f.hasMessage());
        final ResultEncoder.MembersEncoder members = e.membersCount(f.members().size());
        for (int i = 0, n = f.members().size(); i < n; i++) {
            members.next().user(f.members().getLong(i));
        }
        final ResultEncoder.AdminsEncoder admins = e.adminsCount(f.admins().size());
        for (int i = 0, n = f.admins().size(); i < n; i++) {
            admins.next().user(f.admins().getLong(i));
        }
        final ResultEncoder.InvitedEncoder invited = e.invitedCount(f.invited().size());
        for (int i = 0, n = f.invited().size(); i < n; i++) {
            invited.next().user(f.invited().getLong(i));
        }
        return e.putMessage(f.message().array(), 0, f.message().length()).limit();
    }

    private int groupEvent(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final GroupEventEncoder e = groupEvent
                .wrapAndApplyHeader(dst, offset, header)
                .by(f.by())
                .event(GroupEventKindCode.get(
                        required(f.event(), FrameType.GROUP_EVENT, "event").code()));
        final GroupEventEncoder.MembersEncoder members =
                e.membersCount(f.members().size());
        for (int i = 0, n = f.members().size(); i < n; i++) {
            members.next().user(f.members().getLong(i));
        }
        return e.putGroup(f.group().array(), 0, f.group().length()).limit();
    }

    /** A relayed frame (from the server) names the sender and no recipient, a client's the recipient only. */
    private int typing(final Frame f, final MutableDirectBuffer dst, final int offset) {
        final boolean relayed = f.fromUser() != 0;
        return typing.wrapAndApplyHeader(dst, offset, header)
                .toUser(relayed ? 0 : f.toUser())
                .fromUser(f.fromUser())
                .fromDevice((short) (relayed ? f.fromDevice() : 0))
                .on(bool(f.on()))
                .putToGroup(f.toGroup().array(), 0, relayed ? 0 : f.toGroup().length())
                .putGroup(f.group().array(), 0, f.group().length())
                .limit();
    }

    private static Bool bool(final boolean value) {
        return value ? Bool.TRUE : Bool.FALSE;
    }

    private static EnvelopeTypeCode envelopeType(final EnvelopeType type) {
        return EnvelopeTypeCode.get(type.code());
    }

    private static ErrorCodeCode errorCode(final ErrorCode code) {
        return ErrorCodeCode.get(code.code());
    }

    private static <T> T required(final T value, final FrameType type, final String field) {
        if (value == null) {
            throw new IllegalStateException("'" + type.wireName() + "' frame has no '" + field + "'");
        }
        return value;
    }
}
