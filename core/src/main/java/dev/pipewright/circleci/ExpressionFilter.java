package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A filter written as an expression over pipeline values, such as
 * {@code pipeline.git.branch == "main" and not (pipeline.git.tag starts-with "v")}; kept as
 * written, not parsed.
 *
 * @param expression the expression
 * @since 0.1
 */
public record ExpressionFilter(String expression) implements Filters {

    /** Checks the expression is not null. */
    public ExpressionFilter {
        checkNotNull(expression, "expression");
    }

    @Override
    public String toString() {
        return expression;
    }
}
