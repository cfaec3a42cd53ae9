package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A logic statement, as used by a workflow's {@code when}/{@code unless} and by
 * {@linkplain ConditionalStep when and unless steps}: {@code and}, {@code or}, {@code not},
 * {@code equal}, {@code matches}, or a literal value, truthy or falsy, usually an interpolation
 * such as {@code << pipeline.parameters.deploy >>}. CircleCI evaluates them when it compiles the
 * configuration.
 *
 * <pre>{@code
 * Condition.and(
 *     Condition.equal("main", "<< pipeline.git.branch >>"),
 *     Condition.not(Condition.literal("<< pipeline.parameters.skip >>")))
 * }</pre>
 *
 * <p>A mapping that is not one of the five statements, or whose operand has the wrong shape, is
 * read as a {@link Literal} holding the mapping, with a warning; so is a list.
 *
 * @since 0.1
 */
public sealed interface Condition {

    /** {@code and: [statements]}: true when all are. */
    static And and(Condition... statements) {
        return new And(List.of(statements));
    }

    /** {@code or: [statements]}: true when any is. */
    static Or or(Condition... statements) {
        return new Or(List.of(statements));
    }

    /** {@code not: statement}. */
    static Not not(Condition statement) {
        return new Not(statement);
    }

    /**
     * {@code equal: [values]}: true when all are equal.
     *
     * @param values conditions, or plain values taken as {@linkplain #literal literals}
     */
    static Equal equal(@Nullable Object... values) {
        List<Condition> items = new ArrayList<>();
        for (Object v : values) {
            items.add(v instanceof Condition c ? c : literal(v));
        }
        return new Equal(items);
    }

    /** {@code matches: {pattern, value}}: true when the regular expression matches the whole value. */
    static Matches matches(String pattern, String value) {
        return new Matches(pattern, value);
    }

    /** A literal: a string (usually an interpolation), number, boolean or null. */
    static Literal literal(@Nullable Object value) {
        return new Literal(value);
    }

    /** @param statements the statements, at least one */
    record And(List<Condition> statements) implements Condition {
        /** Copies the list. */
        public And {
            statements = List.copyOf(statements);
        }
    }

    /** @param statements the statements, at least one */
    record Or(List<Condition> statements) implements Condition {
        /** Copies the list. */
        public Or {
            statements = List.copyOf(statements);
        }
    }

    /** @param statement the statement negated */
    record Not(Condition statement) implements Condition {
        /** Checks the statement is not null. */
        public Not {
            checkNotNull(statement, "statement");
        }
    }

    /** @param values the values compared, usually literals */
    record Equal(List<Condition> values) implements Condition {
        /** Copies the list. */
        public Equal {
            values = List.copyOf(values);
        }
    }

    /**
     * @param pattern a regular expression that must match the whole value
     * @param value the value, usually an interpolation such as {@code << pipeline.git.branch >>}
     */
    record Matches(String pattern, String value) implements Condition {
        /** Checks no component is null. */
        public Matches {
            checkNotNull(pattern, "pattern");
            checkNotNull(value, "value");
        }
    }

    /**
     * A literal value: truthy unless {@code false}, {@code null}, {@code 0}, {@code ""} or
     * {@code NaN}; an interpolation is resolved first.
     *
     * @param value a string, number, boolean or null; or, as read from a statement CircleCI would
     *     not recognise, a list or mapping, as written
     * @throws IllegalArgumentException when the value is a mapping that is a well-formed statement
     */
    record Literal(@Nullable Object value) implements Condition {
        /** Copies the value as plain data ({@code 3} becomes {@code 3L}). */
        public Literal {
            value = PlainData.copy(value);
            checkArgument(!Conditions.isStatement(value),
                    "the literal %s would read back as a logic statement; build the statement instead", value);
        }
    }
}
