package dev.pipewright.circleci;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A state a required job may end in, for {@code requires: [{job: status}]}.
 *
 * @since 0.1
 */
public enum JobStatus {
    /** {@code success}: the default. */
    SUCCESS,
    /** {@code failed}. */
    FAILED,
    /** {@code canceled}. */
    CANCELED,
    /** {@code not_run}: skipped, such as by its filters. */
    NOT_RUN,
    /** {@code unauthorized}: a restricted context refused it. */
    UNAUTHORIZED,
    /** {@code terminal}: any final state. */
    TERMINAL;

    /** The word in the configuration: {@code not_run}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status written as {@code keyword}. */
    public static Optional<JobStatus> ofKeyword(String keyword) {
        return Arrays.stream(values()).filter(s -> s.keyword().equals(keyword)).findFirst();
    }
}
