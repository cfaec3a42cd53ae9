package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void json_isTheIssuesLineFormat() {
        assertThat(new Result("circleci-emit", "emit-throughput", 123.4, "MB/s").json())
                .isEqualTo("{\"name\": \"circleci-emit\", \"metric\": \"emit-throughput\", \"value\": 123.4,"
                        + " \"unit\": \"MB/s\"}");
    }

    @Test
    void number_keepsAtMostThreeDecimals_andNoExponent() {
        assertThat(new Result("b", "m", 1234567.891234, "u").number()).isEqualTo("1234567.891");
        assertThat(new Result("b", "m", 60, "u").number()).isEqualTo("60");
        assertThat(new Result("b", "m", 0.00004, "u").number()).isEqualTo("0");
    }

    @Test
    void result_rejectsNonFiniteValues() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Result("b", "m", Double.POSITIVE_INFINITY, "u"))
                .withMessage("value of m must be finite but was Infinity");
    }

    @Test
    void json_escapesQuotesAndControlCharacters() {
        assertThat(Json.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
        assertThat(Json.write(java.util.Map.of("k", List.of(1, 2.5, true, "x")))).isEqualTo("{\"k\":[1,2.5,true,\"x\"]}");
    }

    @Test
    void print_human_alignsTheMetrics() {
        StringWriter out = new StringWriter();
        new Report("summary", List.of(new Result("b", "long-metric", 1.5, "ms"), new Result("b", "m", 2, "MB")))
                .print(new PrintWriter(out, true), false);
        assertThat(out.toString().lines()).containsExactly("summary",
                "  long-metric           1.5 ms",
                "  m                       2 MB");
    }

    @Test
    void harness_fixedBudget_measuresExactlyThatManyIterations_afterTheWarmups() {
        Blackhole blackhole = new Blackhole();
        Harness.Samples samples = Harness.run(Harness.Budget.fixed(Duration.ZERO, 3, 7), blackhole, () -> "x");
        assertThat(samples.count()).isEqualTo(7);
        assertThat(samples.warmups()).isEqualTo(3);
        assertThat(blackhole.consumed()).isEqualTo(10);
    }

    @Test
    void samples_medianOfEvenCount_isTheMeanOfTheMiddleTwo() {
        assertThat(new Harness.Samples(new long[] {40, 10, 30, 20}, 0, 0).medianNanos()).isEqualTo(25);
        assertThat(new Harness.Samples(new long[] {5, 1, 3}, 0, 0).medianNanos()).isEqualTo(3);
        assertThat(new Harness.Samples(new long[] {0}, 0, 0).medianNanos()).isEqualTo(1);
    }
}
