package dev.pipewright.circleci;

/**
 * A workflow job's {@code filters}: a mapping of branch and tag {@link Patterns}
 * ({@link PatternFilters}) or an expression string ({@link ExpressionFilter}), such as
 * {@code pipeline.git.branch == "main"}.
 *
 * <pre>{@code
 * Filters.branches(Patterns.only("main"))
 * Filters.expression("pipeline.git.branch == \"main\" or pipeline.git.tag starts-with \"v\"")
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface Filters permits PatternFilters, ExpressionFilter {

    /** {@code filters: {branches: patterns}}. */
    static PatternFilters branches(Patterns patterns) {
        return PatternFilters.builder().branches(patterns).build();
    }

    /** {@code filters: {tags: patterns}}; see {@link PatternFilters} on tags. */
    static PatternFilters tags(Patterns patterns) {
        return PatternFilters.builder().tags(patterns).build();
    }

    /** {@code filters: expression}. */
    static ExpressionFilter expression(String expression) {
        return new ExpressionFilter(expression);
    }
}
