package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a workflow job's {@code requires}: the invocation that must finish first, and in
 * which states. Written as a name ({@code - build}, success required), as
 * {@code - build: failed}, or as {@code - build: [success, failed]}; the model keeps which.
 *
 * <pre>{@code
 * Requirement.of("build")
 * Requirement.of("build", JobStatus.TERMINAL)
 * Requirement.of("build", List.of(JobStatus.SUCCESS, JobStatus.FAILED))
 * }</pre>
 *
 * @since 0.1
 */
public final class Requirement {
    private final String job;
    private final @Nullable JobStatus status;
    private final @Nullable List<JobStatus> statuses;

    private Requirement(String job, @Nullable JobStatus status, @Nullable List<JobStatus> statuses) {
        this.job = checkNotNull(job, "job");
        this.status = status;
        this.statuses = statuses;
    }

    /** {@code - job}: the invocation must succeed. */
    public static Requirement of(String job) {
        return new Requirement(job, null, null);
    }

    /** {@code - job: status}. */
    public static Requirement of(String job, JobStatus status) {
        return new Requirement(job, checkNotNull(status, "status"), null);
    }

    /**
     * {@code - job: [statuses]}.
     *
     * @throws IllegalArgumentException when {@code statuses} is empty
     */
    public static Requirement of(String job, List<JobStatus> statuses) {
        checkArgument(!statuses.isEmpty(), "a list of statuses has at least one");
        return new Requirement(job, null, List.copyOf(statuses));
    }

    /** The invocation required: a job's name, an invocation's {@code name}, or a matrix alias. */
    public String job() {
        return job;
    }

    /** The states it may end in; {@code [SUCCESS]} when none is written. */
    public List<JobStatus> statuses() {
        return statuses != null ? statuses : List.of(status != null ? status : JobStatus.SUCCESS);
    }

    /** The single status written as {@code job: status}; empty for the other forms. */
    public Optional<JobStatus> status() {
        return Optional.ofNullable(status);
    }

    /** Whether the statuses are written as a list, {@code job: [statuses]}. */
    public boolean isStatusList() {
        return statuses != null;
    }

    Object toData() {
        if (status != null) {
            return Map.of(job, status.keyword());
        }
        if (statuses != null) {
            return Map.of(job, statuses.stream().map(JobStatus::keyword).toList());
        }
        return job;
    }

    private static final Shape<Requirement> SHAPE = new Shape<>(
            "a job name, or a one-key mapping of a job name to statuses",
            (v, p, w) -> {
                if (v instanceof String s) {
                    return of(s);
                }
                if (!(v instanceof Map<?, ?> m) || m.size() != 1) {
                    return null;
                }
                Map.Entry<?, ?> only = m.entrySet().iterator().next();
                String job = (String) only.getKey();
                if (only.getValue() instanceof String s) {
                    return JobStatus.ofKeyword(s).map(st -> of(job, st)).orElse(null);
                }
                if (only.getValue() instanceof List<?> l && !l.isEmpty()) {
                    List<JobStatus> out = new ArrayList<>();
                    for (Object item : l) {
                        Optional<JobStatus> st = item instanceof String s ? JobStatus.ofKeyword(s) : Optional.empty();
                        if (st.isEmpty()) {
                            return null;
                        }
                        out.add(st.get());
                    }
                    return of(job, Collections.unmodifiableList(out));
                }
                return null;
            });

    /** A {@code requires} list. */
    static final Shape<List<Requirement>> LIST = Shape.listOf(
            "a list of job names or one-key mappings of a job name to success, failed, canceled, not_run,"
                    + " unauthorized, terminal or a list of them", SHAPE);

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Requirement r && job.equals(r.job) && status == r.status
                && Objects.equals(statuses, r.statuses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(job, status, statuses);
    }

    @Override
    public String toString() {
        return String.valueOf(toData());
    }
}
