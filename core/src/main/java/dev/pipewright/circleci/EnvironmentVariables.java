package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code environment} of a job, executor, Docker image or run step. CircleCI accepts three
 * shapes and the model keeps whichever was written:
 *
 * <ul>
 *   <li>{@link Mapping}: {@code NAME: value}, the usual form (a list of one-key maps is read as
 *       this, see {@link CircleCiConfig});
 *   <li>{@link Assignments}: a list of {@code NAME=value} strings;
 *   <li>{@link Text}: one {@code NAME=value} string, as in {@code environment: TOXENV=py39}.
 * </ul>
 *
 * <pre>{@code
 * EnvironmentVariables.of(Map.of("JAVA_OPTS", "-Xmx2g"))
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface EnvironmentVariables {

    /**
     * Variables by name, in the map's order.
     *
     * @param values names to values: strings, or numbers, booleans or null as written (CircleCI
     *     turns them into strings)
     * @throws IllegalArgumentException when a value is a list or a map
     */
    static Mapping of(Map<String, ?> values) {
        return new Mapping(PlainData.copyMap(values));
    }

    /** A list of {@code NAME=value} strings. */
    static Assignments assignments(List<String> assignments) {
        return new Assignments(assignments);
    }

    /** One {@code NAME=value} string. */
    static Text text(String text) {
        return new Text(text);
    }

    /**
     * Variables by name.
     *
     * @param values ordered and unmodifiable; values are strings, {@code Long}, {@code Double},
     *     {@code Boolean} or null, as written
     */
    record Mapping(Map<String, @Nullable Object> values) implements EnvironmentVariables {
        /** Copies the values in order, numbers as plain data. */
        public Mapping {
            checkNotNull(values, "values");
            Map<String, @Nullable Object> copy = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                checkNotNull(k, "variable name");
                checkArgument(v == null || PlainData.isScalar(v),
                        "variable %s must be a string, number or boolean but was %s", k, PlainData.describe(v));
                copy.put(k, PlainData.copy(v));
            });
            values = Collections.unmodifiableMap(copy);
        }
    }

    /** {@code NAME=value} strings, in order. */
    record Assignments(List<String> assignments) implements EnvironmentVariables {
        /** Copies the list. */
        public Assignments {
            assignments = List.copyOf(assignments);
        }
    }

    /** One {@code NAME=value} string. */
    record Text(String text) implements EnvironmentVariables {
        /** Checks the text is not null. */
        public Text {
            checkNotNull(text, "text");
        }
    }
}
