package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.BinaryFields.DATA32;
import static io.switchboard.core.protocol.BinaryFields.LIST_HEADER;
import static io.switchboard.core.protocol.ProtocolLimits.MAX_GROUP_ID_LENGTH;
import static io.switchboard.core.protocol.ProtocolLimits.MAX_MEDIA_ID_LENGTH;

import io.switchboard.core.protocol.sbe.AckDecoder;
import io.switchboard.core.protocol.sbe.ErrorDecoder;
import io.switchboard.core.protocol.sbe.GroupAddDecoder;
import io.switchboard.core.protocol.sbe.GroupCreateDecoder;
import io.switchboard.core.protocol.sbe.GroupEventDecoder;
import io.switchboard.core.protocol.sbe.GroupInfoDecoder;
import io.switchboard.core.protocol.sbe.GroupInviteDecoder;
import io.switchboard.core.protocol.sbe.GroupJoinDecoder;
import io.switchboard.core.protocol.sbe.GroupLeaveDecoder;
import io.switchboard.core.protocol.sbe.GroupRemoveDecoder;
import io.switchboard.core.protocol.sbe.HelloDecoder;
import io.switchboard.core.protocol.sbe.KeysLowDecoder;
import io.switchboard.core.protocol.sbe.MessageHeaderDecoder;
import io.switchboard.core.protocol.sbe.MsgDecoder;
import io.switchboard.core.protocol.sbe.PingDecoder;
import io.switchboard.core.protocol.sbe.PongDecoder;
import io.switchboard.core.protocol.sbe.PresenceDecoder;
import io.switchboard.core.protocol.sbe.PresentDecoder;
import io.switchboard.core.protocol.sbe.ReadDecoder;
import io.switchboard.core.protocol.sbe.ReceiptAckDecoder;
import io.switchboard.core.protocol.sbe.ReceiptDecoder;
import io.switchboard.core.protocol.sbe.RecvDecoder;
import io.switchboard.core.protocol.sbe.ResultDecoder;
import io.switchboard.core.protocol.sbe.SendDecoder;
import io.switchboard.core.protocol.sbe.SubDecoder;
import io.switchboard.core.protocol.sbe.TypingDecoder;
import io.switchboard.core.protocol.sbe.UnsubDecoder;
import io.switchboard.core.protocol.sbe.WelcomeDecoder;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes one {@code sb.bin.v1} frame (src/main/resources/sbe/sb-bin-v1.xml) into a {@link Frame}, as strictly as
 * {@link JsonFrameDecoder} decodes {@code sb.json.v1}: the same ranges, lengths, charsets and required fields
 * ({@link BinaryFields}), and every violation a {@link ProtocolException} ({@link ErrorCode#BAD_FRAME}, or {@link
 * ErrorCode#AUTH} for a {@code hello} token that cannot be one) naming the field. What the JSON decoder ignores
 * (unknown keys) is ignored here too: a block longer than this version's, or anything after the frame when the header
 * names a newer schema version. An unknown template id is an unknown frame type.
 *
 * <p>Fixed fields are read with the SBE flyweights; length prefixes and lists are checked against the frame's end
 * before anything they count is read. A successful decode allocates nothing once the frame has grown.
 *
 * <p>Not thread-safe: use one per thread.
 */
public final class BinaryFrameDecoder {
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    private final BinaryFields fields = new BinaryFields();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final HelloDecoder hello = new HelloDecoder();
    private final WelcomeDecoder welcome = new WelcomeDecoder();
    private final PingDecoder ping = new PingDecoder();
    private final PongDecoder pong = new PongDecoder();
    private final SendDecoder send = new SendDecoder();
    private final AckDecoder ack = new AckDecoder();
    private final MsgDecoder msg = new MsgDecoder();
    private final RecvDecoder recv = new RecvDecoder();
    private final ReceiptDecoder receipt = new ReceiptDecoder();
    private final ReadDecoder read = new ReadDecoder();
    private final ErrorDecoder error = new ErrorDecoder();
    private final GroupCreateDecoder groupCreate = new GroupCreateDecoder();
    private final GroupAddDecoder groupAdd = new GroupAddDecoder();
    private final GroupRemoveDecoder groupRemove = new GroupRemoveDecoder();
    private final GroupLeaveDecoder groupLeave = new GroupLeaveDecoder();
    private final GroupInfoDecoder groupInfo = new GroupInfoDecoder();
    private final ResultDecoder result = new ResultDecoder();
    private final GroupEventDecoder groupEvent = new GroupEventDecoder();
    private final SubDecoder sub = new SubDecoder();
    private final UnsubDecoder unsub = new UnsubDecoder();
    private final PresenceDecoder presence = new PresenceDecoder();
    private final TypingDecoder typing = new TypingDecoder();
    private final ReceiptAckDecoder receiptAck = new ReceiptAckDecoder();
    private final GroupInviteDecoder groupInvite = new GroupInviteDecoder();
    private final GroupJoinDecoder groupJoin = new GroupJoinDecoder();
    private final KeysLowDecoder keysLow = new KeysLowDecoder();
    private UnsafeBuffer buffer;
    private int blockLength;
    private int version;

    /** Decodes the frame in {@code length} bytes at {@code offset} of {@code src} into {@code into}. */
    public void decode(final DirectBuffer src, final int offset, final int length, final Frame into) {
        if (length < HEADER) {
            throw new ProtocolException(
                    length == 0 ? "empty frame" : "frame shorter than its " + HEADER + "-byte header");
        }
        buffer = fields.wrap(src, offset, length);
        header.wrap(buffer, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            throw new ProtocolException("not an sb.bin.v1 frame: schema id " + header.schemaId());
        }
        blockLength = header.blockLength();
        version = header.version();
        final int end = decodeBody(header.templateId(), into);
        if (end != length && version <= MessageHeaderDecoder.SCHEMA_VERSION) {
            throw new ProtocolException((length - end) + " bytes after the frame");
        }
    }

    private int decodeBody(final int templateId, final Frame into) {
        return switch (templateId) {
            case HelloDecoder.TEMPLATE_ID -> hello(into);
            case WelcomeDecoder.TEMPLATE_ID -> welcome(into);
            case PingDecoder.TEMPLATE_ID -> block(FrameType.PING, PingDecoder.BLOCK_LENGTH, into);
            case PongDecoder.TEMPLATE_ID -> pong(into);
            case SendDecoder.TEMPLATE_ID -> send(into);
            case AckDecoder.TEMPLATE_ID -> ack(into);
            case MsgDecoder.TEMPLATE_ID -> msg(into);
            case RecvDecoder.TEMPLATE_ID -> recv(into);
            case ReceiptDecoder.TEMPLATE_ID -> receipt(into);
            case ReadDecoder.TEMPLATE_ID -> read(into);
            case ErrorDecoder.TEMPLATE_ID -> error(into);
            case GroupCreateDecoder.TEMPLATE_ID -> groupCreate(into);
            case GroupAddDecoder.TEMPLATE_ID -> groupAdd(into);
            case GroupRemoveDecoder.TEMPLATE_ID -> groupRemove(into);
            case GroupLeaveDecoder.TEMPLATE_ID -> groupLeave(into);
            case GroupInfoDecoder.TEMPLATE_ID -> groupInfo(into);
            case ResultDecoder.TEMPLATE_ID -> result(into);
            case GroupEventDecoder.TEMPLATE_ID -> groupEvent(into);
            case SubDecoder.TEMPLATE_ID -> sub(into);
            case UnsubDecoder.TEMPLATE_ID -> unsub(into);
            case PresenceDecoder.TEMPLATE_ID -> presence(into);
            case TypingDecoder.TEMPLATE_ID -> typing(into);
            case ReceiptAckDecoder.TEMPLATE_ID -> receiptAck(into);
            case GroupInviteDecoder.TEMPLATE_ID -> groupInvite(into);
            case GroupJoinDecoder.TEMPLATE_ID -> groupJoin(into);
            case KeysLowDecoder.TEMPLATE_ID -> keysLow(into);
            default -> throw new ProtocolException("unknown frame type: template id " + templateId);
        };
    }

    /** Resets {@code into} to {@code type} once its block is known to be whole; returns the limit after the block. */
    private int block(final FrameType type, final int minBlockLength, final Frame into) {
        if (blockLength < minBlockLength) {
            throw new ProtocolException(
                    "'" + type.wireName() + "' block of " + blockLength + " bytes, fewer than " + minBlockLength);
        }
        fields.room(HEADER, blockLength, "t");
        into.reset(type);
        return HEADER + blockLength;
    }

    private int hello(final Frame into) {
        final int limit = block(FrameType.HELLO, HelloDecoder.BLOCK_LENGTH, into);
        final HelloDecoder d = hello.wrap(buffer, HEADER, blockLength, version);
        into.user(fields.positive(d.user(), "user"))
                .device(fields.device(d.device(), "device"))
                .receiptAcks(fields.bool(d.receiptAcksRaw(), "receiptAcks"));
        return fields.token(limit, into.token());
    }

    private int welcome(final Frame into) {
        final int limit = block(FrameType.WELCOME, WelcomeDecoder.BLOCK_LENGTH, into);
        final WelcomeDecoder d = welcome.wrap(buffer, HEADER, blockLength, version);
        into.user(fields.positive(d.user(), "user"))
                .device(fields.device(d.device(), "device"))
                .ts(fields.nonNegative(d.ts(), "ts"))
                .receiptAcks(fields.bool(d.receiptAcksRaw(), "receiptAcks"));
        return limit;
    }

    private int pong(final Frame into) {
        final int limit = block(FrameType.PONG, PongDecoder.BLOCK_LENGTH, into);
        into.ts(fields.nonNegative(
                pong.wrap(buffer, HEADER, blockLength, version).ts(), "ts"));
        return limit;
    }

    private int send(final Frame into) {
        int limit = block(FrameType.SEND, SendDecoder.BLOCK_LENGTH, into);
        final SendDecoder d = send.wrap(buffer, HEADER, blockLength, version);
        into.id(fields.positive(d.id(), "id"));
        final long toUser = fields.optionalPositive(d.toUser(), "to");
        final boolean media = d.present().media();
        final long mediaSize = fields.nonNegative(d.mediaSize(), "size");
        limit = envelopes(limit, into.envelopes());
        return media(to(limit, toUser, into), media, mediaSize, into);
    }

    /** Reads the media id, present exactly when the {@code media} choice is: then the frame has media. */
    private int media(final int limit, final boolean present, final long size, final Frame into) {
        final int end = fields.optionalId(limit, MAX_MEDIA_ID_LENGTH, into.mediaId(), "media");
        if (present == into.mediaId().isEmpty()) {
            throw fields.bad("media", present ? "missing field 'id'" : "an id without the media choice");
        }
        if (present) {
            into.mediaSize(size);
        }
        return end;
    }

    private int envelopes(final int limit, final Envelopes envelopes) {
        final int count =
                fields.listHeader(limit, SendDecoder.EnvDecoder.sbeBlockLength(), ProtocolLimits.MAX_ENVELOPES, "env");
        if (count == 0) {
            throw fields.bad("env", "must not be empty");
        }
        final int entryLength = buffer.getShort(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        int position = limit + LIST_HEADER;
        for (int i = 0; i < count; i++) {
            fields.context("env", i);
            // Entries are interleaved with their bodies: each block is checked where it starts.
            fields.room(position, entryLength, "env");
            final int device = fields.optionalDevice(
                    (short) (buffer.getByte(position + SendDecoder.EnvDecoder.deviceEncodingOffset()) & 0xFF),
                    "device");
            final EnvelopeType type = fields.envelopeType(
                    (short) (buffer.getByte(position + SendDecoder.EnvDecoder.typeEncodingOffset()) & 0xFF), "type");
            position = body(position + entryLength, envelopes, device, type);
        }
        fields.context(null, -1);
        return position;
    }

    /** Copies a body (4-byte length, raw bytes) into the frame's body buffer as an envelope. */
    private int body(final int limit, final Envelopes envelopes, final int device, final EnvelopeType type) {
        final int end = fields.span(limit, DATA32, Integer.MAX_VALUE, "body");
        final UnsafeBuffer bytes = fields.bytes();
        envelopes.add(device, type, bytes, 0, bytes.capacity());
        return end;
    }

    /** Reads {@code to}'s group and checks that it and {@code toUser} name exactly one recipient. */
    private int to(final int limit, final long toUser, final Frame into) {
        final int end = fields.optionalId(limit, MAX_GROUP_ID_LENGTH, into.toGroup(), "to");
        if ((toUser != 0) == into.hasToGroup()) {
            throw fields.bad("to", "expected exactly one of 'user' or 'group'");
        }
        if (toUser != 0) {
            into.toUser(toUser);
        }
        return end;
    }

    private int ack(final Frame into) {
        final int limit = block(FrameType.ACK, AckDecoder.BLOCK_LENGTH, into);
        final AckDecoder d = ack.wrap(buffer, HEADER, blockLength, version);
        into.id(fields.positive(d.id(), "id")).ts(fields.nonNegative(d.ts(), "ts"));
        return limit;
    }

    private int msg(final Frame into) {
        int limit = block(FrameType.MSG, MsgDecoder.BLOCK_LENGTH, into);
        final MsgDecoder d = msg.wrap(buffer, HEADER, blockLength, version);
        into.seq(fields.positive(d.seq(), "seq"))
                .id(fields.positive(d.id(), "id"))
                .from(fields.positive(d.fromUser(), "from"), fields.device(d.fromDevice(), "from"))
                .ts(fields.nonNegative(d.ts(), "ts"));
        final EnvelopeType type = fields.envelopeType(d.typeRaw(), "type");
        final boolean media = d.present().media();
        final long mediaSize = fields.nonNegative(d.mediaSize(), "size");
        limit = fields.optionalId(limit, MAX_GROUP_ID_LENGTH, into.group(), "group");
        return body(media(limit, media, mediaSize, into), into.envelopes(), 0, type);
    }

    private int recv(final Frame into) {
        final int limit = block(FrameType.RECV, RecvDecoder.BLOCK_LENGTH, into);
        into.seq(fields.positive(recv.wrap(buffer, HEADER, blockLength, version).seq(), "seq"));
        return limit;
    }

    private int receipt(final Frame into) {
        final int limit = block(FrameType.RECEIPT, ReceiptDecoder.BLOCK_LENGTH, into);
        final ReceiptDecoder d = receipt.wrap(buffer, HEADER, blockLength, version);
        into.id(fields.positive(d.id(), "id"))
                .kind(fields.receiptKind(d.kindRaw()))
                .ts(fields.nonNegative(d.ts(), "ts"))
                .rseq(fields.optionalPositive(d.rseq(), "rseq"));
        return to(limit, fields.optionalPositive(d.toUser(), "to"), into);
    }

    private int read(final Frame into) {
        final int limit = block(FrameType.READ, ReadDecoder.BLOCK_LENGTH, into);
        final ReadDecoder d = read.wrap(buffer, HEADER, blockLength, version);
        into.from(fields.positive(d.fromUser(), "from"), fields.device(d.fromDevice(), "from"));
        return fields.ids(limit, into.ids(), true, "ids");
    }

    private int error(final Frame into) {
        int limit = block(FrameType.ERROR, ErrorDecoder.BLOCK_LENGTH, into);
        final ErrorDecoder d = error.wrap(buffer, HEADER, blockLength, version);
        final PresentDecoder present = d.present();
        into.code(fields.errorCode(d.codeRaw()))
                .retryAfterMs(fields.optionalPositive(d.retryAfterMs(), "retryAfterMs"));
        if (present.id()) {
            into.id(fields.positive(d.id(), "id"));
        }
        if (present.req()) {
            into.req(fields.nonNegative(d.req(), "req"));
        }
        final boolean missing = present.missing();
        final boolean extra = present.extra();
        final boolean message = present.message();
        limit = fields.devices(limit, into.missing(), "missing");
        limit = fields.devices(limit, into.extra(), "extra");
        limit = fields.utf8(limit, ProtocolLimits.MAX_MESSAGE_LENGTH, into.message(), "message");
        optional(into, missing, OptionalFields.MISSING, into.missing().isEmpty(), "missing");
        optional(into, extra, OptionalFields.EXTRA, into.extra().isEmpty(), "extra");
        optional(into, message, OptionalFields.MESSAGE, into.message().isEmpty(), "message");
        return limit;
    }

    /** Marks an optional field present as its choice says; an absent field must be empty, as it was never set. */
    private void optional(
            final Frame into, final boolean present, final int field, final boolean empty, final String name) {
        if (present) {
            into.markPresent(field);
        } else if (!empty) {
            throw fields.bad(name, "not empty but not marked present");
        }
    }

    private int groupCreate(final Frame into) {
        int limit = block(FrameType.GROUP_CREATE, GroupCreateDecoder.BLOCK_LENGTH, into);
        final GroupCreateDecoder d = groupCreate.wrap(buffer, HEADER, blockLength, version);
        into.req(fields.nonNegative(d.req(), "req"));
        final boolean name = d.present().name();
        limit = fields.ids(limit, into.members(), false, "members");
        limit = fields.id(limit, MAX_GROUP_ID_LENGTH, into.group(), "group");
        limit = fields.utf8(limit, ProtocolLimits.MAX_NAME_LENGTH, into.name(), "name");
        optional(into, name, OptionalFields.NAME, into.name().isEmpty(), "name");
        return limit;
    }

    private int groupAdd(final Frame into) {
        final int limit = block(FrameType.GROUP_ADD, GroupAddDecoder.BLOCK_LENGTH, into);
        into.req(fields.nonNegative(
                groupAdd.wrap(buffer, HEADER, blockLength, version).req(), "req"));
        return groupAndMembers(limit, into);
    }

    private int groupRemove(final Frame into) {
        final int limit = block(FrameType.GROUP_REMOVE, GroupRemoveDecoder.BLOCK_LENGTH, into);
        into.req(fields.nonNegative(
                groupRemove.wrap(buffer, HEADER, blockLength, version).req(), "req"));
        return groupAndMembers(limit, into);
    }

    private int groupAndMembers(final int limit, final Frame into) {
        return fields.id(
                fields.ids(limit, into.members(), false, "members"), MAX_GROUP_ID_LENGTH, into.group(), "group");
    }

    private int groupLeave(final Frame into) {
        final int limit = block(FrameType.GROUP_LEAVE, GroupLeaveDecoder.BLOCK_LENGTH, into);
        into.req(fields.nonNegative(
                groupLeave.wrap(buffer, HEADER, blockLength, version).req(), "req"));
        return fields.id(limit, MAX_GROUP_ID_LENGTH, into.group(), "group");
    }

    private int groupInfo(final Frame into) {
        final int limit = block(FrameType.GROUP_INFO, GroupInfoDecoder.BLOCK_LENGTH, into);
        into.req(fields.nonNegative(
                groupInfo.wrap(buffer, HEADER, blockLength, version).req(), "req"));
        return fields.id(limit, MAX_GROUP_ID_LENGTH, into.group(), "group");
    }

    private int result(final Frame into) {
        int limit = block(FrameType.RESULT, ResultDecoder.BLOCK_LENGTH, into);
        final ResultDecoder d = result.wrap(buffer, HEADER, blockLength, version);
        final PresentDecoder present = d.present();
        into.req(fields.nonNegative(d.req(), "req")).ok(fields.bool(d.okRaw(), "ok"));
        if (present.code()) {
            into.code(fields.errorCode(d.codeRaw()));
        }
        final boolean members = present.members();
        final boolean admins = present.admins();
        final boolean invited = present.invited();
        final boolean message = present.message();
        limit = fields.ids(limit, into.members(), false, "members");
        limit = fields.ids(limit, into.admins(), false, "admins");
        limit = fields.ids(limit, into.invited(), false, "invited");
        limit = fields.utf8(limit, ProtocolLimits.MAX_MESSAGE_LENGTH, into.message(), "message");
        optional(into, members, OptionalFields.MEMBERS, into.members().isEmpty(), "members");
        optional(into, admins, OptionalFields.ADMINS, into.admins().isEmpty(), "admins");
        optional(into, invited, OptionalFields.INVITED, into.invited().isEmpty(), "invited");
        optional(into, message, OptionalFields.MESSAGE, into.message().isEmpty(), "message");
        return limit;
    }

    private int groupEvent(final Frame into) {
        final int limit = block(FrameType.GROUP_EVENT, GroupEventDecoder.BLOCK_LENGTH, into);
        final GroupEventDecoder d = groupEvent.wrap(buffer, HEADER, blockLength, version);
        into.by(fields.positive(d.by(), "by")).event(fields.groupEventKind(d.eventRaw()));
        return groupAndMembers(limit, into);
    }

    private int sub(final Frame into) {
        final int limit = block(FrameType.SUB, SubDecoder.BLOCK_LENGTH, into);
        into.user(fields.positive(sub.wrap(buffer, HEADER, blockLength, version).user(), "user"));
        return limit;
    }

    private int unsub(final Frame into) {
        final int limit = block(FrameType.UNSUB, UnsubDecoder.BLOCK_LENGTH, into);
        into.user(
                fields.positive(unsub.wrap(buffer, HEADER, blockLength, version).user(), "user"));
        return limit;
    }

    private int presence(final Frame into) {
        final int limit = block(FrameType.PRESENCE, PresenceDecoder.BLOCK_LENGTH, into);
        final PresenceDecoder d = presence.wrap(buffer, HEADER, blockLength, version);
        into.user(fields.positive(d.user(), "user")).online(fields.bool(d.onlineRaw(), "online"));
        if (d.present().lastSeen()) {
            into.lastSeen(fields.nonNegative(d.lastSeen(), "lastSeen"));
        }
        return limit;
    }

    private int typing(final Frame into) {
        int limit = block(FrameType.TYPING, TypingDecoder.BLOCK_LENGTH, into);
        final TypingDecoder d = typing.wrap(buffer, HEADER, blockLength, version);
        final long toUser = fields.optionalPositive(d.toUser(), "to");
        final long fromUser = fields.optionalPositive(d.fromUser(), "from");
        final int fromDevice = fields.optionalDevice(d.fromDevice(), "from");
        if (fromUser == 0 && fromDevice != 0) {
            throw new ProtocolException("missing field 'user' of 'from'");
        }
        into.on(fields.bool(d.onRaw(), "on"));
        limit = fields.optionalId(limit, MAX_GROUP_ID_LENGTH, into.toGroup(), "to");
        limit = fields.optionalId(limit, MAX_GROUP_ID_LENGTH, into.group(), "group");
        final boolean to = toUser != 0 || into.hasToGroup();
        if (to == (fromUser != 0)) {
            throw new ProtocolException(
                    to ? "fields 'to' and 'from' are exclusive for 'typing'" : "missing field 'to' for 'typing'");
        }
        if (to && toUser != 0 && into.hasToGroup()) {
            throw fields.bad("to", "expected exactly one of 'user' or 'group'");
        }
        if (toUser != 0) {
            into.toUser(toUser);
        } else if (!to) {
            into.from(fromUser, fromDevice);
        }
        return limit;
    }

    private int receiptAck(final Frame into) {
        final int limit = block(FrameType.RECEIPT_ACK, ReceiptAckDecoder.BLOCK_LENGTH, into);
        into.rseq(fields.positive(
                receiptAck.wrap(buffer, HEADER, blockLength, version).rseq(), "rseq"));
        return limit;
    }

    private int groupInvite(final Frame into) {
        final int limit = block(FrameType.GROUP_INVITE, GroupInviteDecoder.BLOCK_LENGTH, into);
        final GroupInviteDecoder d = groupInvite.wrap(buffer, HEADER, blockLength, version);
        into.by(fields.positive(d.by(), "by")).expiresAt(fields.nonNegative(d.expiresAt(), "expiresAt"));
        return groupAndInvite(limit, into);
    }

    private int groupJoin(final Frame into) {
        final int limit = block(FrameType.GROUP_JOIN, GroupJoinDecoder.BLOCK_LENGTH, into);
        into.req(fields.nonNegative(
                groupJoin.wrap(buffer, HEADER, blockLength, version).req(), "req"));
        return groupAndInvite(limit, into);
    }

    /** Invite codes are drawn from the group ids' charset and length, as in JSON. */
    private int groupAndInvite(final int limit, final Frame into) {
        final int end = fields.id(limit, MAX_GROUP_ID_LENGTH, into.group(), "group");
        return fields.id(end, MAX_GROUP_ID_LENGTH, into.invite(), "invite");
    }

    private int keysLow(final Frame into) {
        final int limit = block(FrameType.KEYS_LOW, KeysLowDecoder.BLOCK_LENGTH, into);
        final KeysLowDecoder d = keysLow.wrap(buffer, HEADER, blockLength, version);
        into.preKeys(fields.count(d.preKeys(), "preKeys")).kyberPreKeys(fields.count(d.kyberPreKeys(), "kyberPreKeys"));
        return limit;
    }
}
