package dev.pipewright.circleci;

import java.util.Arrays;
import java.util.Optional;

/**
 * A job's {@code type}, on its definition or on its workflow invocation.
 *
 * @since 0.1
 */
public enum JobType {
    /** {@code build}: runs steps; the default. */
    BUILD("build"),
    /** {@code approval}: waits for someone to approve in the UI. */
    APPROVAL("approval"),
    /** {@code no-op}: does nothing, a marker in the graph. */
    NO_OP("no-op"),
    /** {@code release}: records a release of {@code plan_name}. */
    RELEASE("release"),
    /** {@code lock}: takes the lock {@code key}. */
    LOCK("lock"),
    /** {@code unlock}: releases the lock {@code key}. */
    UNLOCK("unlock");

    private final String keyword;

    JobType(String keyword) {
        this.keyword = keyword;
    }

    /** The word in the configuration: {@code no-op}. */
    public String keyword() {
        return keyword;
    }

    /** The type written as {@code keyword}. */
    public static Optional<JobType> ofKeyword(String keyword) {
        return Arrays.stream(values()).filter(t -> t.keyword.equals(keyword)).findFirst();
    }

    static final Shape<JobType> SHAPE = new Shape<>("one of build, approval, no-op, release, lock, unlock",
            (v, p, w) -> v instanceof String s ? ofKeyword(s).orElse(null) : null);
}
