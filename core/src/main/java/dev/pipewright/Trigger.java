package dev.pipewright;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What starts a pipeline: a push to matching branches or tags, or a schedule on a branch. A
 * pipeline without triggers starts on every push, branch or tag; stage filters then decide
 * what runs.
 *
 * <pre>
 * Trigger.push(f -&gt; f.ignoreBranches("/dependabot\\/.*&#47;"))
 * Trigger.schedule("nightly", "0 2 * * *", "master")
 * </pre>
 *
 * <p>Triggers are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Trigger {
    private static final Pattern CRON_FIELD = Pattern.compile("[0-9*,/-]+");

    /**
     * The two kinds of trigger.
     *
     * @since 0.1
     */
    public enum Kind {
        /** A push of a branch or tag. */
        PUSH,
        /** A time-based run on a branch. */
        SCHEDULE
    }

    private static final Trigger EVERY_PUSH = new Trigger(Kind.PUSH, null, null,
            Filter.builder().onlyTags("/.*/").buildLenient());

    private final Kind kind;
    private final Optional<String> name;
    private final Optional<String> cron;
    private final Filter filter;

    private Trigger(Kind kind, @Nullable String name, @Nullable String cron, Filter filter) {
        this.kind = kind;
        this.name = Optional.ofNullable(name);
        this.cron = Optional.ofNullable(cron);
        this.filter = filter;
    }

    /** Every push of a branch or a tag. */
    public static Trigger push() {
        return EVERY_PUSH;
    }

    /**
     * Pushes that pass {@code filter}, which starts out as every branch and no tag.
     *
     * @throws InvalidPipelineException if {@code filter} is null or a pattern is invalid, listing
     *     every problem
     */
    public static Trigger push(Consumer<Filter.Builder> filter) {
        Problems problems = new Problems();
        Filter.Builder f = Filter.builder();
        if (problems.nonNull(filter, "filter")) {
            filter.accept(f);
            problems.addAll(f.problems(), "filter");
        }
        problems.throwIfAny("Push trigger");
        return new Trigger(Kind.PUSH, null, null, f.buildLenient());
    }

    /**
     * A run of {@code branches} on the schedule {@code cron} (five fields, UTC), named {@code name}.
     *
     * @throws InvalidPipelineException if the name, cron expression or a branch is invalid, or no
     *     branch is given, listing every problem
     */
    public static Trigger schedule(String name, String cron, String... branches) {
        Problems problems = new Problems();
        problems.checkName(name, "name");
        if (problems.nonNull(cron, "cron")) {
            String[] fields = cron.trim().split("\\s+");
            if (fields.length != 5 || !java.util.Arrays.stream(fields).allMatch(x -> CRON_FIELD.matcher(x).matches())) {
                problems.add("cron", "'" + cron + "' is not a five-field cron expression.",
                        "Write minute hour day-of-month month day-of-week, such as \"0 2 * * *\".");
            }
        }
        Filter.Builder f = Filter.builder().onlyBranches(branches);
        problems.addAll(f.problems(), "branches");
        if (branches != null && branches.length == 0) {
            problems.add("branches", "no branch was given.", "Name the branch the schedule runs on.");
        }
        problems.throwIfAny("Schedule trigger " + Problems.quote(name));
        return new Trigger(Kind.SCHEDULE, name, cron.trim(), f.buildLenient());
    }

    /** Whether a push or a schedule starts the pipeline. */
    public Kind kind() {
        return kind;
    }

    /** The schedule's name; empty for a push. */
    public Optional<String> name() {
        return name;
    }

    /** The cron expression of a schedule; empty for a push. */
    public Optional<String> cron() {
        return cron;
    }

    /** Which branches and tags this trigger starts the pipeline for. */
    public Filter filter() {
        return filter;
    }

    /** Whether this trigger can start a run for {@code ref}. */
    public boolean accepts(Ref ref) {
        return filter.accepts(ref);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Trigger t && kind == t.kind && name.equals(t.name) && cron.equals(t.cron)
                && filter.equals(t.filter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, cron, filter);
    }

    @Override
    public String toString() {
        return kind == Kind.PUSH ? "push (" + filter + ")" : "schedule '" + name.orElseThrow() + "' " + cron.orElseThrow()
                + " (" + filter + ")";
    }
}
