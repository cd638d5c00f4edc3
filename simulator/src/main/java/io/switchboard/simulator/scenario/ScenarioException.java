package io.switchboard.simulator.scenario;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A scenario that cannot be used. The message always names the file, then where in it (a line, or {@code --set} for
 * an override) and the field when they are known, then the problem:
 *
 * <pre>
 * scenarios/x.yaml line 7: field 'messages.rate': expected a positive integer, got 'fast'
 * scenarios/x.yaml: --set 'messages.rat': unknown field; known fields in 'messages': rate, bodyBytes, readShare
 * </pre>
 */
public final class ScenarioException extends RuntimeException {
    private final Path file;
    private final int line;
    private final String field;
    private final boolean fromOverride;
    private final String problem;

    /**
     * @param file the scenario file
     * @param line 1-based line of the value, or 0 when not known (or when the value came from {@code --set})
     * @param field dotted path of the field, e.g. {@code messages.rate} or {@code variants[1].name}; null if none
     * @param fromOverride whether the value came from {@code --set} rather than the file
     * @param problem what is wrong
     */
    public ScenarioException(Path file, int line, String field, boolean fromOverride, String problem) {
        super(message(file, line, field, fromOverride, problem));
        this.file = file;
        this.line = line;
        this.field = field;
        this.fromOverride = fromOverride;
        this.problem = problem;
    }

    /** A problem with the file as a whole (cannot read it, not a directory). */
    public ScenarioException(Path file, String problem) {
        this(file, 0, null, false, problem);
    }

    private static String message(Path file, int line, String field, boolean fromOverride, String problem) {
        StringBuilder message = new StringBuilder(String.valueOf(file));
        if (fromOverride) {
            message.append(": --set '").append(field).append("': ");
        } else {
            if (line > 0) {
                message.append(" line ").append(line);
            }
            message.append(": ");
            if (field != null) {
                message.append("field '").append(field).append("': ");
            }
        }
        return message.append(problem).toString();
    }

    public Path file() {
        return file;
    }

    /** The 1-based line of the offending value, when it came from the file and its line is known. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The dotted path of the offending field, e.g. {@code messages.rate} or {@code slo[0]}. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** Whether the offending value came from {@code --set} rather than the file. */
    public boolean fromOverride() {
        return fromOverride;
    }

    /** The problem alone, without file, line and field. */
    public String problem() {
        return problem;
    }
}
