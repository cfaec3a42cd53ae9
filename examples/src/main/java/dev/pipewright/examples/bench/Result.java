package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One measured number of a benchmark, printed by {@code --json} as one line:
 * {@code {"name": "circleci-emit", "metric": "emit-throughput", "value": 123.4, "unit": "MB/s"}}.
 *
 * @param name the benchmark, such as {@code circleci-emit}
 * @param metric what was measured, such as {@code emit-throughput}
 * @param value the number; finite
 * @param unit its unit, such as {@code MB/s} or {@code ms}
 */
record Result(String name, String metric, double value, String unit) {
    Result {
        checkNotNull(name, "name");
        checkNotNull(metric, "metric");
        checkNotNull(unit, "unit");
        checkArgument(Double.isFinite(value), "value of %s must be finite but was %s", metric, value);
    }

    /** The result as one JSON object on one line. */
    String json() {
        return "{\"name\": " + Json.quote(name) + ", \"metric\": " + Json.quote(metric) + ", \"value\": "
                + number() + ", \"unit\": " + Json.quote(unit) + "}";
    }

    /** The value with at most three decimals, as JSON and people read it: {@code 123.4}, {@code 60}. */
    String number() {
        return new BigDecimal(value).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
