package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A value of a non-string key, such as {@code parallelism} or {@code background}, written either
 * as a literal ({@code 4}, {@code true}) or as a {@code << parameters.x >>} interpolation that
 * CircleCI resolves when it compiles the configuration. CircleCI accepts both wherever a parameter
 * can be passed, so the model keeps both.
 *
 * <pre>{@code
 * Job.builder().parallelism(4)                                             // parallelism: 4
 * Job.builder().parallelism(Interpolable.expression("<< parameters.n >>")) // parallelism: << parameters.n >>
 * }</pre>
 *
 * @param <T> the literal's type: {@code Boolean} or {@code Integer}
 * @since 0.1
 */
public sealed interface Interpolable<T> {

    /** A literal value. */
    static <T> Interpolable<T> of(T value) {
        return new Literal<>(value);
    }

    /**
     * An interpolation, such as {@code << parameters.parallelism >>}.
     *
     * @throws IllegalArgumentException when {@code text} holds no {@code << ... >>}
     */
    static <T> Expression<T> expression(String text) {
        return new Expression<>(text);
    }

    /**
     * A literal value.
     *
     * @param value a {@code Boolean} or {@code Integer}
     */
    record Literal<T>(T value) implements Interpolable<T> {
        /** Checks the value is a boolean or an integer. */
        public Literal {
            checkNotNull(value, "value");
            checkArgument(value instanceof Boolean || value instanceof Integer,
                    "a literal is a Boolean or an Integer but was %s", value.getClass().getName());
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    /**
     * An interpolation CircleCI resolves at compile time.
     *
     * @param text the text as written, holding at least one {@code << ... >>}
     */
    record Expression<T>(String text) implements Interpolable<T> {
        /** Checks the text holds an interpolation. */
        public Expression {
            checkNotNull(text, "text");
            checkArgument(PlainData.isInterpolation(text), "an interpolation holds << ... >> but was '%s'", text);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
