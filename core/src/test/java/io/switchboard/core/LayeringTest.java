package io.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The layers of the core, read from the imports of its main sources: the stored messages and the journal sit below
 * the owner's domain ({@code owner}) and the routers and transport above it, so neither imports any of those; the
 * transport knows the router by its interface only, since the server, the composition root, picks the variant.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "io", "switchboard", "core");

    @ParameterizedTest(name = "{0} imports none of {1}")
    @CsvSource({
        "message, owner router transport server journal accounts metrics config",
        "journal, owner router transport server accounts",
        "limits, owner router transport server journal accounts metrics",
        "keys, owner router transport server journal accounts metrics limits",
        "storage, owner router transport server journal accounts keys metrics limits",
        "transport, router.locked router.sharded server",
        "push, router transport server journal accounts",
    })
    void shouldImportNothingFromTheLayersAbove(String layer, String above) throws IOException {
        List<String> forbidden = Stream.of(above.split(" "))
                .map(pkg -> "import io.switchboard.core." + pkg + ".")
                .toList();
        try (Stream<Path> files = Files.list(SOURCES.resolve(layer))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    assertThat(forbidden).as(file + ": " + line).noneMatch(line::startsWith);
                }
            }
        }
    }
}
