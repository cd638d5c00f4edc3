package io.switchboard.core.session;

import io.switchboard.core.protocol.EnvelopeType;

/**
 * One accepted group message: the single stored copy. Immutable once built by the group's owner, so the owners of the
 * members can share its body across all their member devices ({@code single-copy}) without copying.
 *
 * @param members the group's members when it was sent (shared, never modified): its delivery list's entries
 */
public record GroupMessage(
        String group,
        long senderUser,
        int senderDevice,
        long id,
        long ts,
        EnvelopeType type,
        byte[] body,
        byte[] mediaId,
        long mediaSize,
        long[] members) {}
