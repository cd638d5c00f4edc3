package io.switchboard.core.metrics;

import io.switchboard.core.limits.LimitKind;

/**
 * Counters of one owner of user state: a shard (sharded routing) or a lock stripe (locked routing). Written only by
 * that owner, one thread at a time, so increments are plain ordered writes; the exporter reads them at scrape time.
 * Type ids are stable: add new constants with new ids.
 */
public enum ShardCounter implements CounterDescriptor {
    MESSAGES_ACCEPTED(101, "messages.accepted", CounterKind.TOTAL, "sends accepted: stored and acknowledged"),
    MESSAGES_DUPLICATE(102, "messages.duplicate", CounterKind.TOTAL, "repeated sends acknowledged again, not stored"),
    MESSAGES_REJECTED(103, "messages.rejected", CounterKind.TOTAL, "sends refused with an error, nothing stored"),
    MESSAGES_DELIVERED(
            104, "messages.delivered", CounterKind.TOTAL, "msg frames sent to devices, redeliveries included"),
    MESSAGES_ACKNOWLEDGED(
            105, "messages.acknowledged", CounterKind.TOTAL, "queued messages removed by a device's recv"),
    MESSAGES_QUEUED(106, "messages.queued", CounterKind.LEVEL, "device queue entries not yet acknowledged"),
    RECEIPTS_DELIVERED(107, "receipts.delivered", CounterKind.TOTAL, "delivered receipts produced"),
    RECEIPTS_READ(108, "receipts.read", CounterKind.TOTAL, "read receipts produced"),
    RECEIPTS_PENDING(
            109,
            "receipts.pending",
            CounterKind.LEVEL,
            "receipts held for a sending device: offline, or not yet acknowledged"),
    RECEIPTS_DROPPED(110, "receipts.dropped", CounterKind.TOTAL, "pending receipts dropped past the bound"),
    SESSIONS_OPENED(111, "sessions.opened", CounterKind.TOTAL, "device sessions opened"),
    SESSIONS_REPLACED(
            112, "sessions.replaced", CounterKind.TOTAL, "sessions closed because the device connected again"),
    DUTY_CYCLES(113, "shard.duty.cycles", CounterKind.TOTAL, "shard duty cycles that found work"),
    WORK_ITEMS(114, "shard.work.items", CounterKind.TOTAL, "ring records a shard handled"),
    BUSY_NANOS(115, "shard.busy.nanos", CounterKind.TOTAL, "nanoseconds a shard spent in duty cycles that found work"),
    OUTBOX_FULL_WAITS(116, "outbox.full.waits", CounterKind.TOTAL, "idle rounds a shard waited for room in an outbox"),
    PEER_FULL_WAITS(117, "peer.full.waits", CounterKind.TOTAL, "idle rounds a shard waited for room in a peer ring"),
    MESSAGES_EXPIRED(118, "messages.expired", CounterKind.TOTAL, "queued messages dropped past the retention"),
    GROUPS(119, "groups", CounterKind.LEVEL, "groups that exist"),
    GROUP_CHANGES(120, "group.changes", CounterKind.TOTAL, "groups created and membership changes made"),
    GROUP_MESSAGES_ACCEPTED(121, "group.messages.accepted", CounterKind.TOTAL, "group sends accepted: stored once"),
    GROUP_FANOUT(122, "group.fanout", CounterKind.TOTAL, "member device queue entries made by group fan-out"),
    PRESENCE_UPDATES(123, "presence.updates", CounterKind.TOTAL, "presence frames sent to subscribers"),
    TYPING_RELAYED(124, "typing.relayed", CounterKind.TOTAL, "typing frames relayed to online devices"),
    COMMANDS_FAILED(
            125,
            "commands.failed",
            CounterKind.TOTAL,
            "commands, tasks and peer records that threw: each failed alone, its sender told internal"),
    DEVICES_REMOVED(
            126,
            "devices.removed",
            CounterKind.TOTAL,
            "devices removed from their account: session closed, queued messages and held receipts dropped"),
    MESSAGES_DROPPED(
            127,
            "messages.dropped",
            CounterKind.TOTAL,
            "queued messages dropped because their device was removed from its account"),
    REFUSED_GROUP_EVENTS(128, LimitKind.GROUP_EVENTS),
    READS_IGNORED(
            129,
            "reads.ignored",
            CounterKind.TOTAL,
            "ids in read frames ignored: never delivered to the reader, already read, or forgotten"),
    MESSAGES_UNREAD(130, "messages.unread", CounterKind.LEVEL, "messages delivered to a user and not yet read by it"),
    UNREAD_DROPPED(
            131,
            "unread.dropped",
            CounterKind.TOTAL,
            "unread messages forgotten past router.maxUnreadPerUser, router.maxUnreadBytes or the retention: their read"
                    + " receipts never come"),
    RECEIPTS_EXPIRED(132, "receipts.expired", CounterKind.TOTAL, "pending receipts dropped past the retention"),
    GROUP_INVITES(
            153,
            "group.invites",
            CounterKind.TOTAL,
            "invites made instead of adds, for users whose privacy setting refused the admin"),
    QUEUED_BYTES(
            133,
            "messages.queued.bytes",
            CounterKind.LEVEL,
            "bytes device queues hold: bodies (a group message's single copy once per owner) and 128 per entry"),
    MESSAGES_REFUSED_FULL(
            134,
            "messages.refused.full",
            CounterKind.TOTAL,
            "sends refused with unavailable because a device queue or the server's queued bytes were at their bound"),
    MESSAGES_REFUSED_OVERLOAD(
            154,
            "messages.refused.overload",
            CounterKind.TOTAL,
            "sends refused with unavailable because deliveries fell behind: an outbox above its mark, a long inbox wait"),
    PUSH_REQUESTED(
            150,
            "push.requested",
            CounterKind.TOTAL,
            "pushes handed to the push dispatcher: a message queued for an offline device with a push registration"),
    PUSH_COLLAPSED(
            151,
            "push.collapsed",
            CounterKind.TOTAL,
            "messages queued for an offline device already pushed since its last session: no second push"),
    PUSH_DROPPED(
            152,
            "push.dropped",
            CounterKind.TOTAL,
            "pushes not handed on because the push dispatcher's queue was full (pushes are best effort)"),
    JOURNAL_REFUSED_MESSAGE(140, "message"),
    JOURNAL_REFUSED_GROUP(141, "group"),
    JOURNAL_REFUSED_ACK(142, "ack"),
    JOURNAL_REFUSED_READ(143, "read"),
    JOURNAL_REFUSED_RECEIPT(144, "receipt"),
    JOURNAL_REFUSED_GROUP_RELEASE(145, "group-release"),
    JOURNAL_REFUSED_LAST_SEEN(146, "last-seen"),
    JOURNAL_REFUSED_UNREAD(147, "unread"),
    JOURNAL_UNWRITTEN(
            148,
            "journal.unwritten",
            CounterKind.LEVEL,
            "acks, reads, receipts delivered and group releases the journal could not write yet, kept to write later"),
    JOURNAL_UNWRITTEN_DROPPED(
            149,
            "journal.unwritten.dropped",
            CounterKind.TOTAL,
            "records not written and not kept (past the bound): a restart brings back what they settled");

    private final CounterSpec spec;

    ShardCounter(int typeId, String metricName, CounterKind kind, String description) {
        this.spec = new CounterSpec(typeId, metricName, kind, description);
    }

    ShardCounter(int typeId, LimitKind limit) {
        this.spec = CounterSpec.refused(typeId, limit);
    }

    /** A counter of journal records of one kind not written: {@code journal.writes.refused{kind}}. */
    ShardCounter(int typeId, String journalRecordKind) {
        this.spec = CounterSpec.journalRefused(typeId, journalRecordKind);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
