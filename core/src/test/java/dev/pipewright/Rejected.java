package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What the model tests expect of a rejected build: an {@link InvalidPipelineException}, nothing else. */
final class Rejected {
    private Rejected() {
    }

    /** The exception {@code build} throws; fails the test when it throws anything else or nothing. */
    static InvalidPipelineException by(ThrowingCallable build) {
        return assertThatExceptionOfType(InvalidPipelineException.class).isThrownBy(build).actual();
    }

    /** The problems {@code build} reports. */
    static List<Problem> problems(ThrowingCallable build) {
        return by(build).problems();
    }

    /** The one problem {@code build} reports; fails when there are none or several. */
    static Problem problem(ThrowingCallable build) {
        List<Problem> problems = problems(build);
        assertThat(problems).as("problems").hasSize(1);
        return problems.get(0);
    }

    /** The problem at {@code path}; fails when there is none or several. */
    static Problem at(List<Problem> problems, String path) {
        List<Problem> found = problems.stream().filter(p -> p.path().equals(path)).toList();
        assertThat(found).as("problems at path %s among %s", path, problems).hasSize(1);
        return found.get(0);
    }
}
