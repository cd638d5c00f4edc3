package io.switchboard.simulator.scenario;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The scenario files of a directory, each with its name and question, or with the error that stops it loading. */
public final class ScenarioCatalog {
    private ScenarioCatalog() {}

    /**
     * One scenario file.
     *
     * @param file the file
     * @param name the scenario's name; for a file that does not load, the file name without {@code .yaml}
     * @param question the question it answers; null when it does not load
     * @param error why it does not load (the {@link ScenarioException} message); null when it loads
     */
    public record Entry(Path file, String name, String question, String error) {
        public boolean valid() {
            return error == null;
        }
    }

    /**
     * Every {@code *.yaml} file directly in {@code directory}, sorted by file name. A file that does not load is
     * listed with its error rather than failing the listing.
     *
     * @throws ScenarioException if the directory cannot be read
     */
    public static List<Entry> list(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ScenarioException(directory, "not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.yaml")) {
            for (Path file : stream) {
                if (Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new ScenarioException(directory, "cannot list: " + e);
        }
        files.sort(Comparator.comparing(file -> file.getFileName().toString()));
        List<Entry> entries = new ArrayList<>();
        for (Path file : files) {
            try {
                Scenario scenario = ScenarioLoader.load(file);
                entries.add(new Entry(file, scenario.name(), scenario.question(), null));
            } catch (ScenarioException e) {
                String stem = file.getFileName().toString().replaceFirst("\\.yaml$", "");
                entries.add(new Entry(file, stem, null, e.getMessage()));
            }
        }
        return List.copyOf(entries);
    }
}
