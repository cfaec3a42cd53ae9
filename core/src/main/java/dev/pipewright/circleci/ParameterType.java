package dev.pipewright.circleci;

import java.util.Arrays;
import java.util.Optional;

/**
 * A parameter's {@code type}. Pipeline parameters take the first four only.
 *
 * @since 0.1
 */
public enum ParameterType {
    /** {@code string}. */
    STRING("string"),
    /** {@code boolean}. */
    BOOLEAN("boolean"),
    /** {@code integer}. */
    INTEGER("integer"),
    /** {@code enum}: one of the parameter's {@code enum} values. */
    ENUM("enum"),
    /** {@code executor}: an executor, by name or with arguments, chosen by the invoker. */
    EXECUTOR("executor"),
    /** {@code steps}: a list of steps, spliced in with {@code << parameters.x >>}. */
    STEPS("steps"),
    /** {@code env_var_name}: the name of an environment variable. */
    ENV_VAR_NAME("env_var_name");

    private final String keyword;

    ParameterType(String keyword) {
        this.keyword = keyword;
    }

    /** The word in the configuration: {@code env_var_name}. */
    public String keyword() {
        return keyword;
    }

    /** The type written as {@code keyword}. */
    public static Optional<ParameterType> ofKeyword(String keyword) {
        return Arrays.stream(values()).filter(t -> t.keyword.equals(keyword)).findFirst();
    }

    static final Shape<ParameterType> SHAPE = new Shape<>(
            "one of string, boolean, integer, enum, executor, steps, env_var_name",
            (v, p, w) -> v instanceof String s ? ofKeyword(s).orElse(null) : null);
}
