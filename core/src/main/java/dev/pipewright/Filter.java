package dev.pipewright;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which branches and tags something runs for, read the way CircleCI reads workflow filters:
 *
 * <ul>
 *   <li>A branch runs when it matches one of {@code onlyBranches} (or that list is empty) and
 *       none of {@code ignoreBranches}.
 *   <li>A tag runs only when a tag filter is given at all: it must match one of {@code onlyTags}
 *       (or that list is empty) and none of {@code ignoreTags}. Without tag filters, tags never
 *       run.
 *   <li>Branch filters say nothing about tags and tag filters nothing about branches.
 * </ul>
 *
 * <p>Patterns are {@link NamePattern}s: exact names or whole-name {@code /regex/}.
 *
 * <pre>{@code
 * Filter releases = Filter.builder().onlyBranches("master").onlyTags("/v\\d+\\.\\d+\\.\\d+/").build();
 * }</pre>
 *
 * <p>Filters are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Filter {
    private static final Filter ALL_BRANCHES = new Filter(List.of(), List.of(), List.of(), List.of());

    private final List<NamePattern> onlyBranches;
    private final List<NamePattern> ignoreBranches;
    private final List<NamePattern> onlyTags;
    private final List<NamePattern> ignoreTags;

    private Filter(List<NamePattern> onlyBranches, List<NamePattern> ignoreBranches,
            List<NamePattern> onlyTags, List<NamePattern> ignoreTags) {
        this.onlyBranches = ImmutableList.copyOf(onlyBranches);
        this.ignoreBranches = ImmutableList.copyOf(ignoreBranches);
        this.onlyTags = ImmutableList.copyOf(onlyTags);
        this.ignoreTags = ImmutableList.copyOf(ignoreTags);
    }

    /** Every branch and no tag: what CircleCI does when a job has no filters. */
    public static Filter allBranches() {
        return ALL_BRANCHES;
    }

    /**
     * Only the given branches (exact names or {@code /regex/}), no tags.
     *
     * @throws InvalidPipelineException if a pattern is null, blank or an invalid regular expression
     */
    public static Filter branches(String... patterns) {
        return builder().onlyBranches(patterns).build();
    }

    /**
     * Only the given tags (exact names or {@code /regex/}), no branches.
     *
     * @throws InvalidPipelineException if a pattern is null, blank or an invalid regular expression
     */
    public static Filter tags(String... patterns) {
        return builder().onlyTags(patterns).ignoreBranches("/.*/").build();
    }

    /** An empty builder: every branch, no tag. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this filter's patterns. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.onlyBranches.addAll(onlyBranches);
        b.ignoreBranches.addAll(ignoreBranches);
        b.onlyTags.addAll(onlyTags);
        b.ignoreTags.addAll(ignoreTags);
        return b;
    }

    /** The branches to run on, one pattern matching is enough; empty for every branch not ignored. */
    public List<NamePattern> onlyBranches() {
        return onlyBranches;
    }

    /** The branches never to run on; empty when none is excluded. */
    public List<NamePattern> ignoreBranches() {
        return ignoreBranches;
    }

    /**
     * The tags to run on, one pattern matching is enough; empty for every tag when {@link
     * #ignoreTags()} is not empty, for no tag otherwise.
     */
    public List<NamePattern> onlyTags() {
        return onlyTags;
    }

    /** The tags never to run on; empty when none is excluded. */
    public List<NamePattern> ignoreTags() {
        return ignoreTags;
    }

    /** Whether this filter restricts branches at all: true when it has branch patterns. */
    public boolean restrictsBranches() {
        return !onlyBranches.isEmpty() || !ignoreBranches.isEmpty();
    }

    /**
     * Whether this filter has tag patterns at all. Without them it accepts no tag; with them it
     * may still accept none (an {@code ignoreTags} pattern can exclude every tag).
     */
    public boolean hasTagFilter() {
        return !onlyTags.isEmpty() || !ignoreTags.isEmpty();
    }

    /** Whether a run for {@code ref} passes this filter. */
    public boolean accepts(Ref ref) {
        if (ref.kind() == Ref.Kind.BRANCH) {
            return passes(onlyBranches, ignoreBranches, ref.name());
        }
        return hasTagFilter() && passes(onlyTags, ignoreTags, ref.name());
    }

    private static boolean passes(List<NamePattern> only, List<NamePattern> ignore, String name) {
        boolean in = only.isEmpty() || only.stream().anyMatch(p -> p.matches(name));
        return in && (ignore.isEmpty() || ignore.stream().noneMatch(p -> p.matches(name)));
    }

    /**
     * The finite set of names of {@code kind} this filter accepts, when it can be known without
     * enumerating a regular expression:
     *
     * <ul>
     *   <li>an empty set when an {@code ignore} pattern of that kind is <code>/.*&#47;</code> or
     *       {@code /.+/}, or, for tags, when there is no tag filter;
     *   <li>otherwise, when the {@code only} list of that kind holds exact names only, those of
     *       its names the {@code ignore} patterns let through;
     *   <li>otherwise (no {@code only} list, or a regular expression in it) nothing: the set is
     *       unbounded or unknown.
     * </ul>
     */
    public Optional<Set<String>> finiteNames(Ref.Kind kind) {
        List<NamePattern> only = kind == Ref.Kind.BRANCH ? onlyBranches : onlyTags;
        List<NamePattern> ignore = kind == Ref.Kind.BRANCH ? ignoreBranches : ignoreTags;
        if (kind == Ref.Kind.TAG && !hasTagFilter() || ignore.stream().anyMatch(Filter::ignoresEverything)) {
            return Optional.of(Set.of());
        }
        if (only.isEmpty() || only.stream().anyMatch(NamePattern::isRegex)) {
            return Optional.empty();
        }
        Set<String> names = new LinkedHashSet<>();
        for (NamePattern p : only) {
            if (accepts(new Ref(kind, p.text()))) {
                names.add(p.text());
            }
        }
        return Optional.of(Set.copyOf(names));
    }

    /** Whether {@code p} matches every name: how {@link #tags} and users write "no branch". */
    private static boolean ignoresEverything(NamePattern p) {
        return p.text().equals("/.*/") || p.text().equals("/.+/");
    }

    /** Problems with the patterns (invalid regexes, blank names), paths relative to this filter. */
    List<Problem> problems() {
        Problems problems = new Problems();
        check(problems, "branches.only", onlyBranches);
        check(problems, "branches.ignore", ignoreBranches);
        check(problems, "tags.only", onlyTags);
        check(problems, "tags.ignore", ignoreTags);
        return problems.list();
    }

    private static void check(Problems problems, String path, List<NamePattern> patterns) {
        for (NamePattern p : patterns) {
            p.problem().ifPresent(message -> problems.add(path, message,
                    "Write a Java regular expression between slashes, or an exact name."));
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Filter f && onlyBranches.equals(f.onlyBranches) && ignoreBranches.equals(f.ignoreBranches)
                && onlyTags.equals(f.onlyTags) && ignoreTags.equals(f.ignoreTags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(onlyBranches, ignoreBranches, onlyTags, ignoreTags);
    }

    /** For example <code>branches only [master], tags only [/v.*&#47;]</code>, or {@code all branches}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!onlyBranches.isEmpty()) {
            parts.add("branches only " + onlyBranches);
        }
        if (!ignoreBranches.isEmpty()) {
            parts.add("branches ignoring " + ignoreBranches);
        }
        if (!onlyTags.isEmpty()) {
            parts.add("tags only " + onlyTags);
        }
        if (!ignoreTags.isEmpty()) {
            parts.add("tags ignoring " + ignoreTags);
        }
        if (!restrictsBranches()) {
            parts.add(0, "all branches");
        }
        return String.join(", ", parts);
    }

    /**
     * Builds a {@link Filter}. Plural setters replace the list they name. A null array or element
     * is recorded as a problem, not thrown, and so is a blank name or an invalid regular
     * expression: {@link #build()} reports every problem at once. When the builder is given to a
     * stage, environment or push trigger, that holder reports them, with the path of the filter,
     * when it is built. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final List<NamePattern> onlyBranches = new ArrayList<>();
        private final List<NamePattern> ignoreBranches = new ArrayList<>();
        private final List<NamePattern> onlyTags = new ArrayList<>();
        private final List<NamePattern> ignoreTags = new ArrayList<>();
        private final Problems problems = new Problems();

        private Builder() {
        }

        /** Runs only on branches matching one of {@code patterns}. */
        @CanIgnoreReturnValue
        public Builder onlyBranches(String... patterns) {
            return set(onlyBranches, "branches.only", patterns);
        }

        /** Never runs on branches matching one of {@code patterns}. */
        @CanIgnoreReturnValue
        public Builder ignoreBranches(String... patterns) {
            return set(ignoreBranches, "branches.ignore", patterns);
        }

        /** Runs on tags matching one of {@code patterns}; without tag filters no tag runs. */
        @CanIgnoreReturnValue
        public Builder onlyTags(String... patterns) {
            return set(onlyTags, "tags.only", patterns);
        }

        /**
         * Never runs on tags matching one of {@code patterns}. This is a tag filter too: without
         * {@code onlyTags}, every other tag runs.
         */
        @CanIgnoreReturnValue
        public Builder ignoreTags(String... patterns) {
            return set(ignoreTags, "tags.ignore", patterns);
        }

        private Builder set(List<NamePattern> target, String path, @Nullable String @Nullable [] patterns) {
            target.clear();
            if (problems.nonNullElements(patterns, path)) {
                for (String p : patterns) {
                    target.add(NamePattern.of(p));
                }
            }
            return this;
        }

        /** Problems found so far, with those of the patterns. */
        List<Problem> problems() {
            List<Problem> all = new ArrayList<>(problems.list());
            all.addAll(buildLenient().problems());
            return all;
        }

        /**
         * The filter.
         *
         * @throws InvalidPipelineException listing every problem: a null pattern, a blank name, an
         *     invalid regular expression
         */
        public Filter build() {
            Problems all = new Problems();
            all.addAll(problems(), "");
            all.throwIfAny("Filter");
            return buildLenient();
        }

        /** The filter without checks, for holders that report its problems with their own path. */
        Filter buildLenient() {
            if (onlyBranches.isEmpty() && ignoreBranches.isEmpty() && onlyTags.isEmpty() && ignoreTags.isEmpty()) {
                return ALL_BRANCHES;
            }
            return new Filter(onlyBranches, ignoreBranches, onlyTags, ignoreTags);
        }
    }
}
