package io.switchboard.simulator.scenario;

import io.switchboard.simulator.scenario.Scenario.ServerMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where a scenario's server runs ({@code server.mode}, taken out of the server settings, since it is no setting of
 * the server's) and what breaks during the run ({@code faults}), with the rules that tie the two: faults act on a
 * server process, and a server process is reached over loopback WebSockets by devices it registers over HTTP.
 */
final class ServerModes {
    static final String MODE = "mode";

    private ServerModes() {}

    /** Removes {@code mode} from the scenario-wide settings and returns it ({@code embedded} when not given). */
    static ServerMode take(YamlTree tree, Map<String, String> server) {
        String mode = server.remove(MODE);
        if (mode == null || mode.equals("embedded")) {
            return ServerMode.EMBEDDED;
        } else if (mode.equals("process")) {
            return ServerMode.PROCESS;
        }
        throw tree.fail("server.mode", "expected embedded or process, got '" + mode + "'");
    }

    /** A variant's settings cannot move the server: every variant of a run runs it the same way. */
    static void refuseIn(YamlTree tree, String path, Map<String, String> settings) {
        if (settings.containsKey(MODE)) {
            throw tree.fail(path + "." + MODE, "server.mode is scenario-wide; set it under server, not in a variant");
        }
    }

    /**
     * With {@code run --target}: the server is its user's, started with its own settings, so none of the scenario's
     * can reach it; and it registers users 1..N once, so a second variant would find them taken.
     */
    static ServerMode target(YamlTree tree, ScenarioFile spec, Map<String, String> server) {
        refuseOnTarget(tree, "server", server);
        if (spec.variants.size() > 1) {
            throw tree.fail(
                    "variants",
                    "run --target registers users 1..N once on a server this run did not start; a second variant"
                            + " would find them registered: run without variants");
        }
        return ServerMode.TARGET;
    }

    /** A server started elsewhere keeps the settings it was started with: a scenario's setting would not apply. */
    static void refuseOnTarget(YamlTree tree, String path, Map<String, String> settings) {
        settings.keySet().stream().findFirst().ifPresent(key -> {
            throw tree.fail(
                    path + "." + key,
                    "run --target drives a server this run did not start, whose settings are those it was started"
                            + " with: set it there (-Dswitchboard." + key + "=...) and remove it here");
        });
    }

    /** The faults in time order, after checking that they can happen in this run. */
    static List<Scenario.Fault> faults(YamlTree tree, ScenarioFile spec, ServerMode mode) {
        if (mode != ServerMode.EMBEDDED) {
            String reached = mode == ServerMode.TARGET ? "run --target" : "server.mode process";
            if (spec.transport != Scenario.Transport.WEBSOCKET) {
                throw tree.fail("transport", reached + " reaches its server over websocket only");
            } else if (spec.devicesPerUser != 1) {
                throw tree.fail("devicesPerUser", reached + " registers device 1 of each user only: use 1");
            } else if (spec.encryption == Scenario.Encryption.SIGNAL
                    || spec.variants.stream().anyMatch(variant -> variant.encryption == Scenario.Encryption.SIGNAL)) {
                throw tree.fail("encryption", reached + " runs plain clients only: use encryption: none");
            } else if (spec.devices.background > 0) {
                // The run listens to the embedded server's sim push platform; a server process pushes to no one here.
                throw tree.fail("devices.background", "phones are woken by the embedded server's sim pushes: use 0");
            } else if (spec.messages.mediaShare > 0) {
                // A message sent again after an outage would go without its blob, which the oracle then misses.
                throw tree.fail("messages.mediaShare", "media runs against the embedded server only: use 0");
            }
        }
        List<Scenario.Fault> faults = new ArrayList<>();
        Duration end = spec.warmup.plus(spec.duration);
        for (int i = 0; i < spec.faults.size(); i++) {
            ScenarioFile.Fault fault = spec.faults.get(i);
            String path = "faults[" + i + "]";
            if (mode == ServerMode.EMBEDDED) {
                throw tree.fail(path, "faults act on a server process: set server.mode: process");
            } else if (fault.kind == Scenario.FaultKind.SLOW_READERS
                    && spec.faults.subList(0, i).stream().anyMatch(other -> other.kind == fault.kind)) {
                throw tree.fail(
                        path + ".kind", "one slowReaders fault per scenario: its share is the run's slow devices");
            } else if (mode == ServerMode.TARGET && fault.kind.onTheServer()) {
                throw tree.fail(
                        path + ".kind",
                        "run --target cannot kill, restart or fill the disk of a server process it did not start;"
                                + " storm, network, partition and slowReaders act on the clients' side and work");
            } else if (fault.kind == Scenario.FaultKind.DISK_FULL
                    && spec.faults.subList(0, i).stream().anyMatch(other -> other.kind == fault.kind)) {
                throw tree.fail(path + ".kind", "one diskFull fault per scenario: its disk is the run's");
            } else if (fault.at.compareTo(end) >= 0) {
                throw tree.fail(
                        path + ".at",
                        "expected a time before the end of sending (warmup + duration, " + end + "), got " + fault.at);
            }
            boolean network = fault.kind == Scenario.FaultKind.NETWORK;
            boolean slow = fault.kind == Scenario.FaultKind.SLOW_READERS;
            if (network != (fault.profile != null)) {
                throw tree.fail(
                        path,
                        network
                                ? "a network fault needs a profile: good-mobile or bad-mobile"
                                : "only a network fault takes a profile");
            } else if (slow != (fault.share != null) || slow != (fault.rate != null)) {
                throw tree.fail(
                        path + (slow ? (fault.share == null ? ".share" : ".rate") : ""),
                        slow
                                ? "a slowReaders fault needs a share (0..1] and a rate such as 8KB"
                                : "only a slowReaders fault takes a share and a rate");
            } else if (fault.kind.needsTime() && fault.lasting.isZero()) {
                throw tree.fail(path, "a " + fault.kind.scenarioName() + " fault needs a time: for");
            }
            faults.add(new Scenario.Fault(
                    fault.kind,
                    fault.at,
                    fault.lasting,
                    fault.profile,
                    slow ? fault.share : 0,
                    slow ? bytesPerSecond(fault.rate) : 0));
        }
        faults.sort(Comparator.comparing(Scenario.Fault::at));
        return List.copyOf(faults);
    }

    /** A rate as written ({@code 8KB}, {@code 500B}; the binder checked its form): bytes a second, a KB being 1,024. */
    private static long bytesPerSecond(String rate) {
        return rate.endsWith("KB")
                ? Long.parseLong(rate.substring(0, rate.length() - 2)) * 1024
                : Long.parseLong(rate.substring(0, rate.length() - 1));
    }
}
