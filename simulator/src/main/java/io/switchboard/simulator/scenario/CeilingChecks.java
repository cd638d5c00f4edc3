package io.switchboard.simulator.scenario;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.config.Routing;
import io.switchboard.simulator.scenario.Scenario.Encryption;
import io.switchboard.simulator.scenario.Scenario.Transport;
import java.util.List;
import java.util.Map;

/**
 * What ceiling routing ({@code router.routing: ceiling}, docs/scenarios.md) cannot do, refused when the scenario loads
 * rather than found out as a broken run: it takes one-to-one sends and {@code recv}s from the direct transport's
 * clients and nothing else, with every device online for the whole run, since it keeps no offline queue, unread
 * lists, groups, presence or accounts state.
 */
final class CeilingChecks {
    private static final String CEILING = Routing.CEILING.configName();

    private CeilingChecks() {}

    /**
     * Refuses the scenario when a variant of it (or the scenario itself, without variants) routes through the ceiling
     * and anything the run would do needs what the ceiling does not have. {@code fileIndex}: each variant's index in the
     * file, for the line an error names.
     */
    static void check(
            YamlTree tree,
            ScenarioFile spec,
            Scenario.ServerMode mode,
            Map<String, String> server,
            List<Scenario.Variant> variants,
            int[] fileIndex) {
        if (variants.isEmpty()) {
            if (ceiling(server)) {
                check(tree, spec, mode, "server", null, spec.transport, spec.encryption);
            }
            return;
        }
        for (int i = 0; i < variants.size(); i++) {
            Scenario.Variant variant = variants.get(i);
            boolean own = variant.server().containsKey(RouterContext.ROUTING_PROP);
            if (own ? ceiling(variant.server()) : ceiling(server)) {
                check(
                        tree,
                        spec,
                        mode,
                        own ? "variants[" + fileIndex[i] + "].server" : "server",
                        variant,
                        variant.transport() == null ? spec.transport : variant.transport(),
                        variant.encryption() == null ? spec.encryption : variant.encryption());
            }
        }
    }

    private static boolean ceiling(Map<String, String> settings) {
        return CEILING.equalsIgnoreCase(settings.getOrDefault(RouterContext.ROUTING_PROP, ""));
    }

    private static void check(
            YamlTree tree,
            ScenarioFile spec,
            Scenario.ServerMode mode,
            String path,
            Scenario.Variant variant,
            Transport transport,
            Encryption encryption) {
        String who = "router.routing ceiling" + (variant == null ? "" : " (variant '" + variant.name() + "')");
        if (transport != Transport.DIRECT) {
            throw tree.fail(
                    path + "." + RouterContext.ROUTING_PROP,
                    who + " runs on transport: direct only (its clients read their outbox rings; it is no server"
                            + " that sockets or channels reach): add transport: direct"
                            + (variant == null ? "" : " to the variant"));
        }
        refuse(tree, mode != Scenario.ServerMode.EMBEDDED, "server.mode", who, "runs in the run's own JVM only");
        refuse(tree, spec.devicesPerUser != 1, "devicesPerUser", who, "keeps no device lists: use 1");
        refuse(tree, encryption == Encryption.SIGNAL, "encryption", who, "serves no keys: use encryption: none");
        refuse(tree, spec.groups.count > 0, "groups.count", who, "keeps no groups: use 0");
        refuse(tree, spec.messages.readShare > 0, "messages.readShare", who, "keeps no unread lists: use 0");
        refuse(tree, spec.messages.typingShare > 0, "messages.typingShare", who, "relays no typing: use 0");
        refuse(tree, spec.messages.mediaShare > 0, "messages.mediaShare", who, "sends one-to-one bodies only: use 0");
        refuse(
                tree,
                spec.presence.subscriptionsPerUser > 0,
                "presence.subscriptionsPerUser",
                who,
                "keeps no presence: use 0");
        refuse(
                tree,
                spec.churn.online < 1,
                "churn.online",
                who,
                "keeps no offline queue, so every device stays online: use 1");
        refuse(tree, spec.devices.background > 0, "devices.background", who, "pushes to no phone: use 0");
        refuse(tree, !spec.faults.isEmpty(), "faults", who, "has no server process to break: remove them");
    }

    private static void refuse(YamlTree tree, boolean cannot, String field, String who, String why) {
        if (cannot) {
            throw tree.fail(field, who + " " + why);
        }
    }
}
