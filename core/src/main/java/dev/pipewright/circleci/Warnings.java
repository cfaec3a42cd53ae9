package dev.pipewright.circleci;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Warnings collected while converting data to the typed model: keys the model does not know and
 * values whose shape does not fit a typed field, each kept as written. A scratch copy collects
 * the warnings of a conversion that may still be abandoned.
 */
final class Warnings {
    private final String file;
    private final YamlReader.@Nullable Document source;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Warnings(String file, YamlReader.@Nullable Document source) {
        this.file = file;
        this.source = source;
    }

    /** Warnings for data that came from no file. */
    static Warnings detached() {
        return new Warnings("", null);
    }

    /** An empty collection for the same file, to {@link #addAll} only when the conversion succeeds. */
    Warnings scratch() {
        return new Warnings(file, source);
    }

    void add(String path, String message) {
        YamlReader.Position at = source == null ? new YamlReader.Position(0, 0) : source.positionOf(path);
        problems.add(new ConfigProblem(file, at.line(), at.column(), path, message));
    }

    void addAll(Warnings other) {
        problems.addAll(other.problems);
    }

    List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    /** The path of {@code key} under {@code path}, as {@link YamlReader} writes it. */
    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The path of item {@code index} of the list at {@code path}. */
    static String item(String path, int index) {
        return path + "[" + index + "]";
    }
}
