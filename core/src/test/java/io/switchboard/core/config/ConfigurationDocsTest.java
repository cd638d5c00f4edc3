package io.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every settings key a context reads has its row in docs/configuration.md, so a new key cannot go undocumented. */
class ConfigurationDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "configuration.md");

    @Test
    void shouldDocumentEverySettingsKey() throws IOException, IllegalAccessException {
        String docs = Files.readString(DOCS);
        List<String> keys = new ArrayList<>();
        for (Class<?> context : List.of(
                TransportContext.class,
                RouterContext.class,
                AccountsContext.class,
                MetricsContext.class,
                JournalContext.class,
                LimitsContext.class,
                MediaContext.class,
                PushContext.class,
                KeysContext.class)) {
            for (Field field : context.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_PROP")) {
                    keys.add((String) field.get(null));
                }
            }
        }
        assertThat(keys).contains("limits.sends.perSecond", "router.shards");
        assertThat(keys).allSatisfy(key -> assertThat(docs).contains("| `" + key + "` |"));
    }
}
