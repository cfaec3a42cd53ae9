package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;

/**
 * A step that splices in the steps of a {@code steps} parameter: written bare,
 * {@code - << parameters.steps >>}, or under the {@code steps} key,
 * {@code - steps: << parameters.steps >>}. Both forms are kept as written.
 *
 * @param expression the interpolation, such as {@code << parameters.steps >>}
 * @param keyed whether it is written under the {@code steps} key
 * @since 0.1
 */
public record ParameterExpansionStep(String expression, boolean keyed) implements CircleCiStep {

    /**
     * Checks the expression is an interpolation; a bare one must start with {@code <<}, as
     * CircleCI reads it.
     *
     * @throws IllegalArgumentException otherwise
     */
    public ParameterExpansionStep {
        checkNotNull(expression, "expression");
        checkArgument(PlainData.isInterpolation(expression), "an expansion holds << ... >> but was '%s'", expression);
        checkArgument(keyed || expression.strip().startsWith("<<"),
                "a bare expansion starts with << but was '%s'; use the keyed form", expression);
    }

    /** {@code - << parameters.x >>}. */
    public static ParameterExpansionStep of(String expression) {
        return new ParameterExpansionStep(expression, false);
    }

    /** {@code - steps: << parameters.x >>}. */
    public static ParameterExpansionStep keyed(String expression) {
        return new ParameterExpansionStep(expression, true);
    }

    Object toData() {
        return keyed ? Map.of("steps", expression) : expression;
    }
}
