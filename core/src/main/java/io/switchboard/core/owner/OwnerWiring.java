package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import org.agrona.concurrent.EpochClock;

/**
 * What an owner is connected to, given by its router: who is registered, where queued messages live, where frames
 * and receipts go, the clock, its counters and journal, how it reaches the other owners, and where it hands the pushes
 * for devices without a session.
 */
public record OwnerWiring(
        DeviceDirectory directory,
        MessageStore store,
        Outbound out,
        ReceiptRouter receipts,
        EpochClock clock,
        CounterSet<ShardCounter> counters,
        Journal journal,
        Peers peers,
        PushTrigger push) {}
