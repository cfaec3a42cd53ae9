package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest {

    @Test
    void of_withinBounds_keepsValues() {
        assertThat(Retry.of(2, Duration.ofSeconds(1))).isEqualTo(new Retry(2, Duration.ofSeconds(1)));
        assertThat(Retry.of(Retry.MAX_ATTEMPTS, Duration.ofHours(1)).attempts()).isEqualTo(10);
    }

    @Test
    void of_attemptsOutOfBounds_namesBoundsAndValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> Retry.of(1, Duration.ofSeconds(1)))
                .withMessage("attempts must be between 2 and 10 but was 1");
        assertThatIllegalArgumentException().isThrownBy(() -> Retry.of(11, Duration.ofSeconds(1)))
                .withMessage("attempts must be between 2 and 10 but was 11");
    }

    @Test
    void of_backoffOutOfBounds_namesBoundsAndValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> Retry.of(3, Duration.ZERO))
                .withMessage("backoff must be positive and at most an hour but was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> Retry.of(3, Duration.ofMinutes(61)))
                .withMessageContaining("PT1H1M");
        assertThatNullPointerException().isThrownBy(() -> Retry.of(3, null)).withMessage("backoff");
    }
}
