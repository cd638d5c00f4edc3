package io.switchboard.core.server;

import static io.switchboard.core.testing.TestServer.bearer;
import static io.switchboard.core.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accounts.maxAccounts} over real sockets: a registration flood stops at the bound with 503 instead of growing
 * the heap, what exists keeps working, and an operator sees how close the server is in {@code /metrics}.
 */
@Timeout(60)
class AccountBoundTest {
    @TempDir
    Path data;

    @Test
    void shouldRefuseNewAccountsBeyondTheBoundAndShowBothInMetrics() {
        try (TestServer server = TestServer.start(Routing.SHARDED, data, Map.of("accounts.maxAccounts", 2))) {
            String alice = server.register(1, 1);
            server.register(2, 1);

            HttpResponse<String> refused = server.post("/v1/accounts", "{\"user\":3,\"device\":1}");

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(json(refused.body()).path("error").asText()).isEqualTo("unavailable");
            assertThat(json(refused.body()).path("message").asText()).contains("accounts.maxAccounts");
            assertThat(server.link(1, alice, 2)).isNotEmpty();
            assertThat(server.post("/v1/accounts", "{\"user\":1,\"device\":1}", bearer(alice))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(server.get("/metrics").body())
                    .containsPattern("(?m)^switchboard_accounts\\{[^}]*} 2\\.0$")
                    .containsPattern("(?m)^switchboard_accounts_max\\{[^}]*} 2\\.0$");
        }
    }
}
