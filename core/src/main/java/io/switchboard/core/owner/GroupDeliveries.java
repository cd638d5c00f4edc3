package io.switchboard.core.owner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The delivery lists of the group messages that one owner's users sent and that are not yet delivered and read by
 * every member, found by sending device and id (receipts name those) and by group (members leave). Bounded per
 * sending device: past the bound the oldest list is dropped and its receipts never come, because a member who never
 * reads must not pin memory forever.
 *
 * <p>Owner thread only.
 */
final class GroupDeliveries {
    private final int maxPerDevice;
    private final Long2ObjectHashMap<Long2ObjectHashMap<GroupDelivery>> bySender = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<LinkedHashSet<GroupDelivery>> oldestFirst = new Long2ObjectHashMap<>();
    private final Map<String, Set<GroupDelivery>> byGroup = new HashMap<>();

    GroupDeliveries(int maxPerDevice) {
        this.maxPerDevice = maxPerDevice;
    }

    /** Tracks a new list; returns the one dropped to make room, or null. */
    GroupDelivery add(long senderKey, GroupDelivery delivery) {
        GroupDelivery dropped = null;
        LinkedHashSet<GroupDelivery> order = oldestFirst.computeIfAbsent(senderKey, key -> new LinkedHashSet<>());
        if (order.size() >= maxPerDevice) {
            dropped = order.iterator().next();
            remove(senderKey, dropped);
        }
        bySender.computeIfAbsent(senderKey, key -> new Long2ObjectHashMap<>())
                .put(delivery.message().id(), delivery);
        order.add(delivery);
        byGroup.computeIfAbsent(delivery.message().group(), group -> new LinkedHashSet<>())
                .add(delivery);
        return dropped;
    }

    GroupDelivery find(long senderKey, long id) {
        Long2ObjectHashMap<GroupDelivery> ids = bySender.get(senderKey);
        return ids == null ? null : ids.get(id);
    }

    void remove(long senderKey, GroupDelivery delivery) {
        Long2ObjectHashMap<GroupDelivery> ids = bySender.get(senderKey);
        if (ids == null || ids.remove(delivery.message().id()) == null) {
            return;
        }
        if (ids.isEmpty()) {
            bySender.remove(senderKey);
            oldestFirst.remove(senderKey);
        } else {
            oldestFirst.get(senderKey).remove(delivery);
        }
        Set<GroupDelivery> ofGroup = byGroup.get(delivery.message().group());
        ofGroup.remove(delivery);
        if (ofGroup.isEmpty()) {
            byGroup.remove(delivery.message().group());
        }
    }

    /** Visits every list held. */
    void forEach(Consumer<GroupDelivery> visitor) {
        bySender.values().forEach(ids -> ids.values().forEach(visitor));
    }

    /** The lists of one group's messages (a copy, so that callers may remove while they walk it). */
    List<GroupDelivery> ofGroup(String group) {
        Set<GroupDelivery> lists = byGroup.get(group);
        return lists == null ? List.of() : new ArrayList<>(lists);
    }
}
