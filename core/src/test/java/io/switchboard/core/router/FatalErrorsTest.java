package io.switchboard.core.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;
import org.junit.jupiter.api.Test;

/** An owner thread's Error stops the process with status 70; an exception or a stop does not. */
class FatalErrorsTest {
    private final List<Integer> exits = new ArrayList<>();
    private final ErrorHandler handler = FatalErrors.handler("switchboard-shard-0", exits::add);

    @Test
    void shouldExitWithStatus70OnAnError() {
        handler.onError(new OutOfMemoryError("Java heap space"));

        assertThat(exits).containsExactly(FatalErrors.EXIT_STATUS);
        assertThat(FatalErrors.EXIT_STATUS).isEqualTo(70);
    }

    @Test
    void shouldOnlyLogAnExceptionOrAStop() {
        handler.onError(new IllegalStateException("one command"));
        handler.onError(new AgentTerminationException("closing"));

        assertThat(exits).isEmpty();
    }
}
