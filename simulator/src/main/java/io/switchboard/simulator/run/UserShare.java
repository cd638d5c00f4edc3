package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One worker's share of a run with {@code --workers N}: a contiguous range of the scenario's users (ids {@code userBase
 * + 1..userBase + users}), the groups among them (wire ids from {@code g<groupBase>}), and its part of the rates. Every
 * conversation and group stays within a share, so each worker's oracle sees both ends of all its messages and stays
 * exact; the contact graph and the group plan are drawn per share, over its users. Shares differ in size by one at most;
 * so do their groups and rates, whose totals are the scenario's.
 *
 * @param worker from 0
 * @param seed the share's seed: the scenario's plus the worker's number, so that shares draw different workloads
 */
record UserShare(
        int worker,
        int workers,
        long userBase,
        int users,
        int groupBase,
        int groups,
        int ratePerSecond,
        double changesPerSecond,
        long seed) {

    /** A run without workers: all users from id 1, every group, the whole rate. */
    static UserShare whole(Scenario scenario) {
        return new UserShare(
                0,
                1,
                0,
                scenario.users(),
                0,
                scenario.groups().count(),
                scenario.messages().ratePerSecond(),
                scenario.groups().changesPerSecond(),
                scenario.seed());
    }

    /** The scenario's users, groups and rates split into {@code workers} contiguous shares. */
    static List<UserShare> split(Scenario scenario, int workers) {
        List<UserShare> shares = new ArrayList<>(workers);
        long userBase = 0;
        int groupBase = 0;
        for (int worker = 0; worker < workers; worker++) {
            int users = part(scenario.users(), worker, workers);
            int groups = part(scenario.groups().count(), worker, workers);
            shares.add(new UserShare(
                    worker,
                    workers,
                    userBase,
                    users,
                    groupBase,
                    groups,
                    part(scenario.messages().ratePerSecond(), worker, workers),
                    scenario.groups().changesPerSecond() / workers,
                    scenario.seed() + worker));
            userBase += users;
            groupBase += groups;
        }
        return shares;
    }

    /** Worker {@code worker}'s part of {@code total}: the first {@code total mod workers} workers take one more. */
    static int part(int total, int worker, int workers) {
        return total / workers + (worker < total % workers ? 1 : 0);
    }

    /**
     * The {@code --set} overrides that make the scenario this share's: its users, groups, rates and seed (over the
     * user's own overrides, which come first).
     */
    Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("users", Integer.toString(users));
        overrides.put("groups.count", Integer.toString(groups));
        overrides.put("messages.rate", Integer.toString(ratePerSecond));
        if (changesPerSecond > 0) {
            overrides.put("groups.changesPerSecond", Double.toString(changesPerSecond));
        }
        overrides.put("seed", Long.toString(seed));
        return overrides;
    }

    /** How a worker is told its share on its command line ({@link #parse}): {@code worker,workers,userBase,groupBase}. */
    String argument() {
        return worker + "," + workers + "," + userBase + "," + groupBase;
    }

    /**
     * The share a worker was given ({@link #argument}) of {@code scenario}, loaded with the share's {@link #overrides}:
     * its users, groups, rates and seed are the scenario's.
     */
    static UserShare parse(String argument, Scenario scenario) {
        String[] parts = argument.split(",");
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected worker,workers,userBase,groupBase, got '" + argument + "'");
        }
        return new UserShare(
                Integer.parseInt(parts[0]),
                Integer.parseInt(parts[1]),
                Long.parseLong(parts[2]),
                scenario.users(),
                Integer.parseInt(parts[3]),
                scenario.groups().count(),
                scenario.messages().ratePerSecond(),
                scenario.groups().changesPerSecond(),
                scenario.seed());
    }

    /** For the run's output: {@code worker 2/4: users 5,001..7,500, 3 groups, 250 msgs/s}. */
    @Override
    public String toString() {
        return String.format(
                "worker %d/%d: users %,d..%,d, %,d groups, %,d msgs/s",
                worker + 1, workers, userBase + 1, userBase + users, groups, ratePerSecond);
    }
}
