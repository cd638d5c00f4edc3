package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.ArrayList;
import java.util.List;

/** An {@link Outbound} that records every frame, in order, as a value that tests compare. */
public final class RecordingOutbound implements Outbound {
    public sealed interface Event permits Ack, Msg, Receipt, Error, Replaced, Revoked, Other {
        long connection();
    }

    public record Ack(long connection, long id, long ts) implements Event {}

    public record Msg(
            long connection,
            long seq,
            long id,
            long fromUser,
            int fromDevice,
            EnvelopeType type,
            String body,
            String mediaId,
            long mediaSize,
            long ts)
            implements Event {}

    public record Receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq)
            implements Event {}

    public record Error(long connection, ErrorCode code, long id, String message, long missing, long extra)
            implements Event {}

    public record Replaced(long connection) implements Event {}

    /** {@code auth} and a close: the connection's device was removed from its account. */
    public record Revoked(long connection) implements Event {}

    /** Any other frame, as its sb.json.v1 text. */
    public record Other(long connection, String json) implements Event {}

    private final JsonFrameEncoder encoder = new JsonFrameEncoder();

    private final List<Event> events = new ArrayList<>();

    /** Every event since the last call, oldest first; forgets them. */
    public List<Event> take() {
        List<Event> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    /** Removes the oldest {@code welcome} to the connection; false when there is none. */
    boolean takeWelcome(long connection) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof Other other
                    && other.connection() == connection
                    && other.json().startsWith("{\"t\":\"welcome\"")) {
                events.remove(i);
                return true;
            }
        }
        return false;
    }

    /** The events since the last {@link #take()} that are of one type, oldest first; forgets all events. */
    <E extends Event> List<E> take(Class<E> type) {
        return take().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void ack(long connection, long id, long ts) {
        events.add(new Ack(connection, id, ts));
    }

    @Override
    public void msg(long connection, MsgView msg) {
        // The view is valid only during the call: copy it now.
        String text = msg.body().getStringWithoutLengthUtf8(msg.bodyOffset(), msg.bodyLength());
        String media = msg.mediaIdLength() == 0
                ? null
                : msg.mediaId().getStringWithoutLengthAscii(msg.mediaIdOffset(), msg.mediaIdLength());
        events.add(new Msg(
                connection,
                msg.seq(),
                msg.id(),
                msg.fromUser(),
                msg.fromDevice(),
                msg.type(),
                text,
                media,
                msg.mediaSize(),
                msg.ts()));
    }

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
        events.add(new Receipt(connection, id, toUser, kind, ts, rseq));
    }

    @Override
    public void error(
            long connection, ErrorCode code, long id, String message, long missingDevices, long extraDevices) {
        events.add(new Error(connection, code, id, message, missingDevices, extraDevices));
    }

    @Override
    public void replaced(long connection) {
        events.add(new Replaced(connection));
    }

    @Override
    public void revoked(long connection) {
        events.add(new Revoked(connection));
    }

    @Override
    public void frame(long connection, Frame frame) {
        events.add(new Other(connection, encoder.encodeToString(frame)));
    }
}
