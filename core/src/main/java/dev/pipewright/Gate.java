package dev.pipewright;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Something that must say yes before a stage starts: a person ({@linkplain #manualApproval()
 * manual approval}) or a condition ({@linkplain #check(String, Check) check}).
 *
 * <pre>{@code
 * Gate.manualApproval(a -> a.message("Deploy to production?").approvers("housing-leads").timeout(Duration.ofHours(8)))
 * Gate.check("alarms-ok", ctx -> CheckResult.pass("no alarm"))
 * }</pre>
 *
 * <p>In CircleCI a manual approval becomes an approval job the stage requires; a check becomes a
 * step that evaluates it in CI.
 *
 * <p>Gates are immutable and thread-safe. Two gates are equal when their values are; a check
 * gate's {@link Check} compares by identity unless it defines {@code equals}, so a lambda is
 * equal only to itself.
 *
 * @since 0.1
 */
public final class Gate {
    /** The name a manual approval gets unless given another. */
    public static final String DEFAULT_APPROVAL_NAME = "approval";

    /**
     * The two kinds of gate.
     *
     * @since 0.1
     */
    public enum Kind {
        /** A person decides, through the runner's approver (or a CircleCI approval job). */
        MANUAL_APPROVAL,
        /** A {@link Check} decides. */
        CHECK
    }

    private final String name;
    private final Kind kind;
    private final Optional<String> message;
    private final List<String> approvers;
    private final Optional<Duration> timeout;
    private final Optional<Check> check;

    private Gate(Builder b) {
        this.name = b.name;
        this.kind = b.kind;
        this.message = Optional.ofNullable(b.message);
        this.approvers = ImmutableList.copyOf(b.approvers);
        this.timeout = Optional.ofNullable(b.timeout);
        this.check = Optional.ofNullable(b.check);
    }

    /** A manual approval named {@value #DEFAULT_APPROVAL_NAME}, anyone may approve, no timeout. */
    public static Gate manualApproval() {
        return new Builder(Kind.MANUAL_APPROVAL, DEFAULT_APPROVAL_NAME, null).build();
    }

    /**
     * A manual approval with details, named {@value #DEFAULT_APPROVAL_NAME} unless {@code details}
     * renames it.
     *
     * @throws InvalidPipelineException if {@code details} is null or a detail is invalid, listing
     *     every problem
     */
    public static Gate manualApproval(Consumer<Builder> details) {
        Builder b = new Builder(Kind.MANUAL_APPROVAL, DEFAULT_APPROVAL_NAME, null);
        if (b.problems.nonNull(details, "details")) {
            details.accept(b);
        }
        return b.build();
    }

    /**
     * A check gate: {@code check} runs before the stage and must pass.
     *
     * @throws InvalidPipelineException if the name is invalid or the check null
     */
    public static Gate check(String name, Check check) {
        return new Builder(Kind.CHECK, name, check).build();
    }

    /** A builder holding this gate's values. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, name, check.orElse(null));
        b.message = message.orElse(null);
        b.approvers.addAll(approvers);
        b.timeout = timeout.orElse(null);
        return b;
    }

    /** The gate's name, unique within its stage. */
    public String name() {
        return name;
    }

    /** Whether a person or a condition decides. */
    public Kind kind() {
        return kind;
    }

    /** Whether a person decides. */
    public boolean isManualApproval() {
        return kind == Kind.MANUAL_APPROVAL;
    }

    /** What the approver is asked, or what the check is about. */
    public Optional<String> message() {
        return message;
    }

    /**
     * Who may approve (people or groups); empty means anyone who can run the pipeline, and always
     * empty for a check.
     */
    public List<String> approvers() {
        return approvers;
    }

    /** How long to wait for a decision before the gate fails; empty for no limit. */
    public Optional<Duration> timeout() {
        return timeout;
    }

    /** The condition of a check gate; empty for a manual approval. */
    public Optional<Check> check() {
        return check;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Gate g && name.equals(g.name) && kind == g.kind && message.equals(g.message)
                && approvers.equals(g.approvers) && timeout.equals(g.timeout) && check.equals(g.check);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, message, approvers, timeout, check);
    }

    @Override
    public String toString() {
        if (kind == Kind.CHECK) {
            return "check '" + name + "'";
        }
        return "manual approval '" + name + "'" + (approvers.isEmpty() ? "" : " by " + approvers);
    }

    /**
     * Builds a {@link Gate}; the kind is fixed by the factory that made the builder. A null or
     * invalid argument is recorded as a problem, not thrown: {@link #build()} reports every
     * problem at once. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final Kind kind;
        private String name;
        private final @Nullable Check check;
        private @Nullable String message;
        private final List<String> approvers = new ArrayList<>();
        private @Nullable Duration timeout;
        private final Problems problems = new Problems();

        private Builder(Kind kind, String name, @Nullable Check check) {
            this.kind = kind;
            this.name = name;
            this.check = check;
        }

        /** Renames the gate; names are unique within a stage, and checked by {@link #build()}. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** What the approver is asked. */
        @CanIgnoreReturnValue
        public Builder message(String message) {
            if (problems.nonNull(message, "message")) {
                this.message = message;
            }
            return this;
        }

        /** Who may approve: people or groups, as the approver understands them. Replaces. */
        @CanIgnoreReturnValue
        public Builder approvers(String... approvers) {
            this.approvers.clear();
            if (problems.nonNullElements(approvers, "approvers")) {
                this.approvers.addAll(List.of(approvers));
            }
            return this;
        }

        /** How long to wait for a decision, positive; the gate fails after it. */
        @CanIgnoreReturnValue
        public Builder timeout(Duration timeout) {
            if (problems.positive(timeout, "timeout")) {
                this.timeout = timeout;
            }
            return this;
        }

        /**
         * The gate.
         *
         * @throws InvalidPipelineException listing every problem
         */
        public Gate build() {
            Problems all = new Problems();
            all.checkName(name, "name");
            if (kind == Kind.CHECK) {
                all.nonNull(check, "check");
                if (!approvers.isEmpty()) {
                    all.add("approvers", "a check gate has no approvers.", "Use Gate.manualApproval(...) for people.");
                }
            }
            for (String a : approvers) {
                if (a.isBlank()) {
                    all.add("approvers", "a blank approver was given.", "Name a person or group.");
                }
            }
            all.addAll(problems.list(), "");
            all.throwIfAny("Gate " + Problems.quote(name));
            return new Gate(this);
        }
    }
}
