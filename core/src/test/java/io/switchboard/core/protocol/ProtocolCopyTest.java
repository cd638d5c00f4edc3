package io.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The repository carries the wire contract as docs/protocol.md, for readers without the team's shared folder; where
 * that folder sits beside the checkout (as on developers' machines and in CI), the copy must be word for word the
 * contract, so that an amendment there fails the build until the copy follows it.
 */
class ProtocolCopyTest {
    private static final Path COPY = Path.of("..", "docs", "protocol.md");
    private static final Path CONTRACT = Path.of("..", "..", "shared", "protocol.md");

    @Test
    void shouldKeepTheRepositorysCopyOfTheProtocolInStepWithTheContract() throws IOException {
        assumeTrue(Files.isRegularFile(CONTRACT), "no shared/protocol.md beside the checkout");
        assertThat(Files.readString(COPY))
                .as("docs/protocol.md must be a copy of "
                        + CONTRACT.toAbsolutePath().normalize())
                .isEqualTo(Files.readString(CONTRACT));
    }
}
