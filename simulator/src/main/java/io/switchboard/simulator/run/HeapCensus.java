package io.switchboard.simulator.run;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Heap in use after a full GC at four points of a run's start, and what the differences say: the server's cost of a
 * registered account (all its devices), the simulator's cost of a registered virtual user (all its devices), and the
 * cost of an online device (both ends of its connection and its server session; in-process both ends live in this
 * heap), which with one device per user is the cost of an online user. Taken before the
 * workload starts, so the pauses of the full GCs fall outside every measured latency. Only runs of at least {@link
 * #MIN_USERS} users take it: below that the per-user figures are noise over the fixed costs, and the full GCs cost a
 * short run its first seconds (p99 of a 20-user, 3-second quickstart went from 6 ms to 46 ms with them).
 *
 * @param onlineDevicesAtStart devices online at the start, each a connection
 * @param serverStarted after the embedded server started, before any account
 * @param accountsRegistered after every account was registered
 * @param clientsAllocated after the simulator's per-user state was allocated
 * @param initialOnline after the devices online at the start were connected and welcomed
 */
record HeapCensus(
        int users,
        int devicesPerUser,
        int onlineDevicesAtStart,
        long serverStarted,
        long accountsRegistered,
        long clientsAllocated,
        long initialOnline) {

    static final int MIN_USERS = 100_000;

    /** Bytes of heap in use after a full collection ({@code System.gc()}, twice, since one may leave garbage). */
    static long usedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    Map<String, Object> toJson() {
        Map<String, Object> heap = new LinkedHashMap<>();
        heap.put("serverStarted", serverStarted);
        heap.put("accountsRegistered", accountsRegistered);
        heap.put("clientsAllocated", clientsAllocated);
        heap.put("initialOnline", initialOnline);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("heapAfterGcBytes", heap);
        json.put("registeredUsers", users);
        json.put("devicesPerUser", devicesPerUser);
        json.put("onlineDevicesAtStart", onlineDevicesAtStart);
        json.put("serverBytesPerRegisteredUser", perRegisteredServer());
        json.put("clientBytesPerRegisteredUser", perRegisteredClient());
        json.put("bytesPerOnlineDevice", perOnline());
        return json;
    }

    long perRegisteredServer() {
        return (accountsRegistered - serverStarted) / users;
    }

    long perRegisteredClient() {
        return (clientsAllocated - accountsRegistered) / users;
    }

    long perOnline() {
        return onlineDevicesAtStart == 0 ? 0 : (initialOnline - clientsAllocated) / onlineDevicesAtStart;
    }
}
