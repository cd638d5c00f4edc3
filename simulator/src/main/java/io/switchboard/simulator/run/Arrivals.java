package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario;
import java.util.SplittableRandom;

/**
 * The open-loop arrival process: Poisson arrivals at the scenario's rate, each to a group (a {@code groupShare} of
 * them) or to one user, drawn from the seed. Every arrival takes the same number of draws whatever the run's state,
 * so the sequence of kinds, groups, recipients and gaps is the seed's alone; only the sender of a one-to-one message
 * is drawn within a bound the caller gives (the users who may send now, all of them without churn). The fields hold
 * the arrival {@link #next} drew. Single-threaded.
 */
final class Arrivals {
    /** The smallest factor on the rate a gap is drawn with: bounds the gap at a ramp's start. */
    private static final double MIN_FACTOR = 1e-3;

    private final SplittableRandom random;
    private final double meanGapNs;
    private final Scenario.Curve curve;
    private final double groupShare;
    private final int groups;
    private final int recipients;

    /** The group the arrival goes to, or -1 for a one-to-one message. */
    int group;
    /** A one-to-one message's sender, in {@code 0..senderBound-1}. */
    int senderDraw;
    /** A one-to-one message's recipient, in {@code 0..recipients-1}: another user, or one of the sender's contacts. */
    int recipientDraw;
    /** From the previous arrival to this one. */
    long gapNs;

    private long memberSeed;

    /**
     * @param recipients how many recipients a one-to-one message has to choose from: every other user ({@code users −
     *     1}), or the sender's contacts
     */
    Arrivals(long seed, int recipients, Scenario.Messages messages, Scenario.Curve curve, int groups) {
        this.random = new SplittableRandom(seed);
        this.meanGapNs = 1e9 / messages.ratePerSecond();
        this.curve = curve;
        this.groupShare = messages.groupShare();
        this.groups = groups;
        this.recipients = recipients;
    }

    /**
     * Draws the next arrival, {@code sinceStartNs} after the start of the warm-up. The group draw is made only when the
     * run has groups, so that a scenario without any keeps the arrivals it always had. The gap follows the rate the
     * {@link Scenario.Curve} gives at the previous arrival, which approximates a Poisson process of varying rate as
     * long as the rate changes little from one arrival to the next; at a rate of zero (the ramp's start) the next
     * arrival waits until the curve reaches a thousandth of the rate.
     */
    void next(int senderBound, long sinceStartNs) {
        if (groups > 0 && random.nextDouble() < groupShare) {
            group = random.nextInt(groups);
            memberSeed = random.nextLong();
        } else {
            group = -1;
            senderDraw = random.nextInt(senderBound);
            recipientDraw = random.nextInt(recipients);
        }
        gapNs = (long)
                (Mix.exponential(random.nextDouble(), meanGapNs) / Math.max(MIN_FACTOR, curve.factorAt(sinceStartNs)));
    }

    /**
     * The group sender's position among the group's {@code size} members at the {@code attempt}-th try: a function of
     * the arrival, so that retrying past members who may not send (churn) does not shift later arrivals.
     */
    int member(int attempt, int size) {
        return (int) ((Mix.mix(memberSeed + attempt) >>> 1) % size);
    }
}
