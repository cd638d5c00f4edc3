package io.switchboard.simulator.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerVariantsTest {
    @Test
    void shouldRunEveryVariantWithoutTheSendLimitUnlessSetSaysOtherwise() {
        Map<String, Map<String, String>> runs =
                ServerVariants.parse(List.of(), Map.of(), "router.routing", List.of("sharded", "locked"), null);
        assertThat(runs.values())
                .hasSize(2)
                .allSatisfy(settings -> assertThat(settings).containsEntry("limits.sends.perSecond", "0"));

        Map<String, Map<String, String>> limited = ServerVariants.parse(
                List.of("slow:router.shards=1"),
                Map.of("limits.sends.perSecond", "500"),
                "router.routing",
                List.of(),
                null);
        assertThat(limited.get("slow"))
                .containsEntry("limits.sends.perSecond", "500")
                .containsEntry("router.shards", "1");
    }
}
