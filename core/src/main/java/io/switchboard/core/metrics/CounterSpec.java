package io.switchboard.core.metrics;

import io.switchboard.core.limits.LimitKind;

/**
 * One counter's identity: a stable type id (also its Agrona counter type id), a dotted metric name below
 * {@code switchboard.}, whether it is a total or a level, what it counts, and, for counters that share a name, the
 * value of their {@code kind} tag (null for the rest).
 */
public record CounterSpec(int typeId, String metricName, CounterKind kind, String description, String kindTag) {
    /** The Micrometer tag that tells apart counters of one name. */
    public static final String KIND_TAG = "kind";
    /** The counters of requests refused by a rate limit, one per {@link LimitKind}. */
    public static final String LIMITS_REFUSED = "limits.refused";
    /** The counters of journal records not written, one per kind of record. */
    public static final String JOURNAL_REFUSED = "journal.writes.refused";
    /** The counters of uploads refused for the bytes they would hold, one per bound. */
    public static final String MEDIA_REFUSED = "media.uploads.refused";

    public CounterSpec(int typeId, String metricName, CounterKind kind, String description) {
        this(typeId, metricName, kind, description, null);
    }

    /** The counter of refusals by {@code limit}, wherever the limit is kept (an I/O loop, or a group's owner). */
    static CounterSpec refused(int typeId, LimitKind limit) {
        return byKind(
                typeId, LIMITS_REFUSED, "requests refused with rate-limited, by the limit they were over", limit.tag);
    }

    /** The counter of journal records of one kind that were not written, summed over every owner. */
    static CounterSpec journalRefused(int typeId, String recordKind) {
        return byKind(
                typeId,
                JOURNAL_REFUSED,
                "journal records not written (free space below journal.reserveBytes, or the write failed), by kind",
                recordKind);
    }

    /** The counter of uploads refused by one bound on held bytes ({@code over-quota}, {@code store-full}). */
    static CounterSpec mediaRefused(int typeId, String bound) {
        return byKind(
                typeId,
                MEDIA_REFUSED,
                "media uploads refused before their body, by the bound on held bytes they would pass",
                bound);
    }

    /** A total that shares {@code metricName} with others of its kind, told apart by {@code kindTag}. */
    private static CounterSpec byKind(int typeId, String metricName, String description, String kindTag) {
        return new CounterSpec(typeId, metricName, CounterKind.TOTAL, description, kindTag);
    }

    /** A name unique among counters: the metric name, and the kind tag's value after a dot when there is one. */
    public String key() {
        return kindTag == null ? metricName : metricName + "." + kindTag;
    }
}
