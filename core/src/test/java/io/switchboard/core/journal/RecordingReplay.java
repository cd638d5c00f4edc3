package io.switchboard.core.journal;

import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.ReceiptKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Each record a journal replays, as a line of text: what the journal tests compare with what they wrote. */
public final class RecordingReplay implements JournalReplay {
    public final List<String> records = new ArrayList<>();

    /** Every record of {@code journal}, as text, in the order replayed. */
    public static List<String> replayed(Journal journal) {
        RecordingReplay recording = new RecordingReplay();
        journal.replay(recording);
        return recording.records;
    }

    @Override
    public void onAccepted(SendView send, long ts, long[] seqs, int cycle, long index) {
        byte[] mediaId = new byte[send.mediaIdLength()];
        send.getMediaId(mediaId);
        StringBuilder text = new StringBuilder()
                .append("accepted ")
                .append(send.senderUser())
                .append('/')
                .append(send.senderDevice())
                .append(" #")
                .append(send.id())
                .append(" ts=")
                .append(ts)
                .append(" to ")
                .append(send.toUser())
                .append(" media=[")
                .append(new String(mediaId, StandardCharsets.US_ASCII))
                .append("]/")
                .append(send.mediaSize())
                .append(" [");
        for (int i = 0; i < send.envelopeCount(); i++) {
            byte[] body = new byte[send.bodyLength(i)];
            send.bodyBuffer(i).getBytes(send.bodyOffset(i), body);
            text.append(i == 0 ? "" : ", ")
                    .append(send.envelopeDevice(i))
                    .append(':')
                    .append(send.envelopeType(i).wireName())
                    .append(':')
                    .append(seqs[i])
                    .append(':')
                    .append(new String(body, StandardCharsets.UTF_8));
        }
        records.add(text.append("] cycle=").append(cycle).toString());
    }

    @Override
    public void onAcknowledged(long user, int device, long seq) {
        records.add("acknowledged " + user + "/" + device + " seq " + seq);
    }

    @Override
    public void onReceiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, int cycle) {
        records.add("receipt pending " + senderUser + "/" + senderDevice + " #" + id + " from " + recipientUser + " "
                + kind.wireName() + " ts=" + ts + " cycle=" + cycle);
    }

    @Override
    public void onReceiptsDelivered(long user, int device) {
        records.add("receipts delivered " + user + "/" + device);
    }

    @Override
    public void onGroupState(String group, long[] members, long[] admins, List<GroupInvite> invites, int cycle) {
        records.add("group " + group + " members " + Arrays.toString(members) + " admins " + Arrays.toString(admins)
                + " invites " + invites);
    }

    @Override
    public void onGroupMessage(GroupMessage message) {
        records.add("group message " + message.group() + " owner " + message.owner() + " from "
                + message.senderUser() + "/" + message.senderDevice() + " #" + message.id() + " ts="
                + message.ts() + " " + message.type().wireName() + " "
                + new String(message.body(), StandardCharsets.UTF_8) + " media="
                + (message.mediaId() == null ? "" : new String(message.mediaId(), StandardCharsets.US_ASCII))
                + "/" + message.mediaSize() + " members " + Arrays.toString(message.members()));
    }

    @Override
    public void onGroupReleased(int groupOwner, long senderKey, long id, int by) {
        records.add("group released owner " + groupOwner + " sender key " + senderKey + " #" + id + " by " + by);
    }

    @Override
    public void onGroupQueued(
            int groupOwner, long senderKey, long id, long user, int device, long seq, byte[] body, int cycle) {
        records.add("group queued owner " + groupOwner + " sender key " + senderKey + " #" + id + " for " + user
                + "/" + device + " seq " + seq + " body "
                + (body == null ? "shared" : new String(body, StandardCharsets.UTF_8)));
    }

    @Override
    public void onLastSeen(long user, long ts) {
        records.add("last seen " + user + " " + ts);
    }

    @Override
    public void onUnread(long user, long senderUser, int senderDevice, long id, long ts, boolean group, int cycle) {
        records.add("unread " + user + " from " + senderUser + "/" + senderDevice + " #" + id + " ts=" + ts + " "
                + (group ? "group" : "one-to-one") + " cycle=" + cycle);
    }

    @Override
    public void onRead(long user, long senderUser, int senderDevice, long id) {
        records.add("read " + user + " from " + senderUser + "/" + senderDevice + " #" + id);
    }
}
