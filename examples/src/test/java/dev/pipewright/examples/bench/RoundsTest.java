package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {
    @Test
    void run_warmsUp_thenRunsEachOperationOnceARound_inOrder() {
        List<String> calls = new ArrayList<>();

        List<Harness.Samples> samples = Rounds.run(2, 3, List.of(() -> calls.add("a"), () -> calls.add("b")));

        assertThat(calls).containsExactly("a", "b", "a", "b", "a", "b", "a", "b", "a", "b");
        assertThat(samples).hasSize(2).allSatisfy(s -> {
            assertThat(s.count()).isEqualTo(3);
            assertThat(s.warmups()).isEqualTo(2);
            assertThat(s.minNanos()).isPositive();
        });
    }

    @Test
    void run_warmsUpForAtLeastTheTimeGiven_andCountsTheRounds() {
        List<Harness.Samples> samples = Rounds.run(1, Duration.ofMillis(30), 2, List.of(() -> Thread.sleep(5)));

        assertThat(samples.get(0).warmups()).isPositive();
        assertThat(samples.get(0).warmupNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
        assertThat(samples.get(0).count()).isEqualTo(2);
    }

    @Test
    void run_reportsWhatAnOperationThrew() {
        assertThatIllegalStateException().isThrownBy(() -> Rounds.run(0, 1, List.of(() -> {
            throw new IOException("disk full");
        }))).withMessage("disk full").withCauseInstanceOf(IOException.class);
    }

    @Test
    void medianRatio_dividesRoundByRound() {
        Harness.Samples a = new Harness.Samples(new long[] {30, 10, 200}, 0, 0);
        Harness.Samples b = new Harness.Samples(new long[] {10, 10, 10}, 0, 0);

        assertThat(Rounds.medianRatio(a, b)).isEqualTo(3.0);
        assertThat(Rounds.medianRatio(new Harness.Samples(new long[] {4, 9}, 0, 0),
                new Harness.Samples(new long[] {2, 3}, 0, 0))).isEqualTo(2.5);
    }
}
