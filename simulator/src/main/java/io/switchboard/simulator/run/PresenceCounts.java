package io.switchboard.simulator.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Presence and typing traffic of a run, counted and not checked: which {@code presence} and {@code typing} frames a
 * client should see depends on races between sessions the client cannot observe. Written on the client loop only.
 */
final class PresenceCounts {
    long subscriptionsSent;
    long presenceReceived;
    long typingSent;
    long typingReceived;

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subscriptionsSent", subscriptionsSent);
        json.put("presenceReceived", presenceReceived);
        json.put("typingSent", typingSent);
        json.put("typingReceived", typingReceived);
        return json;
    }
}
