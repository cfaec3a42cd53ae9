package dev.pipewright.assertions;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What every pipeline assertion shares: the value under test, an optional description, and
 * failures that read "Expecting <i>what</i> to <i>expectation</i> but <i>finding</i>". Every
 * assertion method returns {@code SELF}, so assertions chain; the first that does not hold
 * throws {@link AssertionError}.
 *
 * <p>Assertion objects are not thread-safe: make and use one in a single test thread. Passing
 * {@code null} to an assertion method is a mistake in the test, reported with a {@link
 * NullPointerException}; a name the pipeline does not know fails the assertion with a message
 * listing the names it does know.
 *
 * @param <SELF> the concrete assertion type, returned by every assertion
 * @param <ACTUAL> the value under test
 * @since 0.1
 */
public abstract sealed class AbstractPipelineAssert<SELF extends AbstractPipelineAssert<SELF, ACTUAL>, ACTUAL>
        permits PipelineAssert, StageAssert, StagesAssert {
    final ACTUAL actual;
    final SELF myself;
    private @Nullable String description;

    AbstractPipelineAssert(ACTUAL actual, Class<SELF> selfType) {
        this.actual = checkNotNull(actual, "actual");
        this.myself = selfType.cast(this);
    }

    /** The value under test, for checks these assertions do not offer. */
    public ACTUAL actual() {
        return actual;
    }

    /**
     * Prefixes this object's failure messages with {@code [description]}, as AssertJ does. It
     * applies to the assertions made through this object, not to those it navigates to.
     *
     * @throws NullPointerException if {@code description} is null
     */
    public SELF describedAs(String description) {
        this.description = checkNotNull(description, "description");
        return myself;
    }

    /** What is under test, as the message's subject: {@code stage 'test' of pipeline 'api'}. */
    abstract String subject();

    /**
     * The error to throw when an assertion does not hold. {@code expectation} follows "to", or
     * "not to" when it starts with "not " ({@code "not run on branch 'x'"}); {@code finding}
     * follows "but".
     */
    final AssertionError failure(String expectation, String finding) {
        String to = expectation.startsWith("not ") ? "not to " + expectation.substring(4) : "to " + expectation;
        String message = "Expecting " + subject() + "\n  " + to + "\nbut " + finding
                + (finding.endsWith(".") ? "" : ".");
        return new AssertionError(description == null ? message : "[" + description + "] " + message);
    }

    /** The names given to an assertion, without repeats, in the order given. */
    static List<String> checkNames(@Nullable String @Nullable [] names, String what) {
        checkNotNull(names, "%s must not be null", what);
        for (String n : names) {
            checkNotNull(n, "%s must not hold null", what);
        }
        return List.copyOf(new LinkedHashSet<>(List.of(names)));
    }

    /** Like {@link #checkNames} for assertions that need at least one name. */
    static List<String> checkSomeNames(@Nullable String @Nullable [] names, String what) {
        List<String> list = checkNames(names, what);
        checkArgument(!list.isEmpty(), "give at least one of the %s", what);
        return list;
    }

    /** {@code heading:} then one indented line per item. */
    static String list(String heading, List<String> items) {
        return heading + ":" + items.stream().map(i -> "\n  - " + i).collect(Collectors.joining(";")) + ".";
    }

    /** {@code 'name'}, as the model's own messages quote names. */
    static String quote(String name) {
        return "'" + name + "'";
    }
}
