package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Check;
import dev.pipewright.CheckResult;
import dev.pipewright.NamePattern;
import dev.pipewright.PathPattern;
import dev.pipewright.PipewrightException;
import dev.pipewright.Ref;
import dev.pipewright.RunContext;
import dev.pipewright.spi.StepContext;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Checks on the run's repository, for check gates:
 *
 * <pre>{@code
 * .stage("deploy-prod", s -> s
 *     .gate(Gate.check("on-master", GitChecks.onBranch("master")))
 *     .gate(Gate.check("merged", GitChecks.mergedIntoDefaultBranch()))
 *     .gate(Gate.check("api-spec", GitChecks.changedTogether("src/**", "api/openapi.yaml")))
 *     .gate(Gate.check("ref-unchanged", GitChecks.refUnchanged()))
 *     ...)
 * }</pre>
 *
 * <p>Each check reads the Git repository holding the stage's {@linkplain RunContext#workspace()
 * workspace} and the run's facts: its {@linkplain RunContext#ref() ref} and {@linkplain
 * RunContext#commit() commit} (the repository's {@code HEAD} when the run has no commit). A
 * failure's reason names what was found and what was expected. Checks fail closed: a workspace
 * outside any repository, a missing default branch or an unreadable repository fail the check
 * with the reason, never pass it.
 *
 * <p>Checks are immutable values: two made with the same arguments are equal, so pipelines that
 * use them compare equal when built twice.
 *
 * @since 0.1
 */
public final class GitChecks {
    /** SemVer 2.0.0: MAJOR.MINOR.PATCH, optional pre-release and build, numbers without leading zeros. */
    private static final Pattern SEMVER;

    static {
        String number = "(?:0|[1-9][0-9]*)";
        String preRelease = "(?:" + number + "|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
        String build = "[0-9A-Za-z-]+";
        SEMVER = Pattern.compile("v?" + number + "\\." + number + "\\." + number
                + "(?:-" + preRelease + "(?:\\." + preRelease + ")*)?"
                + "(?:\\+" + build + "(?:\\." + build + ")*)?");
    }

    private GitChecks() {
    }

    /**
     * Passes when the run is for a branch matching {@code nameOrRegex}: an exact name, or a Java
     * regular expression between slashes that must match the whole name (<code>/release-.*&#47;</code>),
     * as CircleCI reads branch filters. A run for a tag fails.
     *
     * @throws NullPointerException if {@code nameOrRegex} is null
     * @throws IllegalArgumentException if it is blank or an invalid regular expression
     */
    public static Check onBranch(String nameOrRegex) {
        NamePattern pattern = NamePattern.of(checkNotNull(nameOrRegex, "nameOrRegex"));
        pattern.problem().ifPresent(p -> {
            throw new IllegalArgumentException("GitChecks.onBranch(\"" + nameOrRegex + "\"): " + p
                    + " Write an exact branch name or a Java regular expression between slashes.");
        });
        return new OnBranch(pattern);
    }

    /**
     * Passes when the run's commit is the default branch's tip or one of its ancestors: it has
     * been merged. The default branch is found as {@link GitFacts} finds it; its remote-tracking
     * ref ({@code origin/master}, what was pushed) is preferred to the local branch.
     */
    public static Check mergedIntoDefaultBranch() {
        return MergedIntoDefaultBranch.INSTANCE;
    }

    /** Passes when the working tree has no uncommitted change and no untracked file that is not ignored. */
    public static Check cleanWorkingTree() {
        return CleanWorkingTree.INSTANCE;
    }

    /**
     * Passes when a tag at the run's commit is a SemVer 2.0.0 version, with an optional leading
     * {@code v}: {@code 1.2.3}, {@code v2.0.0-rc.1}, {@code 1.0.0+build.5}; not {@code 1.2},
     * {@code 01.2.3} or {@code release-1.2.3}.
     */
    public static Check semanticVersionTag() {
        return SemanticVersionTag.INSTANCE;
    }

    /**
     * Passes unless a changed path matches {@code whenGlob} while none matches {@code alsoGlob}:
     * "the API definition changed with the API". Globs are {@link PathPattern}s.
     *
     * <pre>
     * GitChecks.changedTogether("src/main/java/**&#47;api/**", "api/openapi.yaml")
     * </pre>
     *
     * <p>The changed paths are the run's ({@code Facts.changedPaths()}) when the runner gives them,
     * else those since the merge base with the default branch ({@link
     * ChangedPaths#sinceDefaultBranch}).
     *
     * @throws NullPointerException if a glob is null
     * @throws IllegalArgumentException if a glob is invalid or negated
     */
    public static Check changedTogether(String whenGlob, String alsoGlob) {
        PathPattern when = PathPattern.of(checkNotNull(whenGlob, "whenGlob"));
        PathPattern also = PathPattern.of(checkNotNull(alsoGlob, "alsoGlob"));
        checkArgument(!when.isNegated() && !also.isNegated(),
                "GitChecks.changedTogether takes two globs to match, not negations: '%s', '%s'", whenGlob, alsoGlob);
        return new ChangedTogether(when, also);
    }

    /**
     * Passes when the run's branch (or tag) still points at the commit the run is pinned to (by a
     * {@code checkout} step, else by this check, from the run's commit): fails when the ref moved
     * since, so that what was scanned and tested is what gets deployed. The local branch is
     * compared when there is one, else {@code origin/BRANCH}; a ref that is gone fails.
     */
    public static Check refUnchanged() {
        return RefUnchanged.INSTANCE;
    }

    // ---------------------------------------------------------------- the checks

    private record OnBranch(NamePattern pattern) implements Check {
        @Override
        public CheckResult evaluate(RunContext context) {
            Ref ref = context.ref();
            if (ref.kind() != Ref.Kind.BRANCH) {
                return CheckResult.fail("the run is for " + ref + ", not a branch matching " + pattern + ".");
            }
            return pattern.matches(ref.name())
                    ? CheckResult.pass("branch '" + ref.name() + "' matches " + pattern + ".")
                    : CheckResult.fail("the run is for branch '" + ref.name() + "', expected a branch matching "
                            + pattern + ".");
        }

        @Override
        public String toString() {
            return "on branch " + pattern;
        }
    }

    private enum MergedIntoDefaultBranch implements Check {
        INSTANCE;

        @Override
        public CheckResult evaluate(RunContext context) throws IOException {
            try (GitRepository git = GitRepository.require(context.workspace(), "check the run's commit is merged")) {
                Optional<ObjectId> commit = commit(context, git);
                if (commit.isEmpty()) {
                    return CheckResult.fail("the repository at " + git.location() + " has no commit to check.");
                }
                Optional<String> branch = git.defaultBranch();
                if (branch.isEmpty()) {
                    return CheckResult.fail("the repository at " + git.location() + " has no default branch (no"
                            + " origin/HEAD, no init.defaultBranch, no main or master), so nothing is merged.");
                }
                Optional<GitRepository.BranchTip> tip = git.branchTip(branch.get());
                if (tip.isEmpty()) {
                    return CheckResult.fail("the default branch '" + branch.get() + "' has no commit here.");
                }
                String shortCommit = shortId(commit.get());
                try (RevWalk walk = new RevWalk(git.jgit())) {
                    boolean merged = walk.isMergedInto(walk.parseCommit(commit.get()), walk.parseCommit(tip.get().commit()));
                    return merged
                            ? CheckResult.pass("commit " + shortCommit + " is in " + tip.get().ref() + ".")
                            : CheckResult.fail("commit " + shortCommit + " is not merged into the default branch: "
                                    + tip.get().ref() + " is at " + shortId(tip.get().commit()) + " and does not"
                                    + " contain it. Merge it first.");
                }
            } catch (PipewrightException e) {
                return CheckResult.fail(e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "merged into the default branch";
        }
    }

    private enum CleanWorkingTree implements Check {
        INSTANCE;

        @Override
        public CheckResult evaluate(RunContext context) throws IOException {
            try (GitRepository git = GitRepository.require(context.workspace(), "check the working tree is clean")) {
                if (git.workTree().isEmpty()) {
                    return CheckResult.fail("the repository at " + git.location() + " is bare: it has no working tree.");
                }
                List<String> changes = GitRepository.changes(git.status(), 10);
                return changes.isEmpty()
                        ? CheckResult.pass("the working tree at " + git.location() + " is clean.")
                        : CheckResult.fail("the working tree at " + git.location() + " has uncommitted changes: "
                                + String.join(", ", changes) + "; expected none. Commit, stash or ignore them.");
            } catch (PipewrightException e) {
                return CheckResult.fail(e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "clean working tree";
        }
    }

    private enum SemanticVersionTag implements Check {
        INSTANCE;

        @Override
        public CheckResult evaluate(RunContext context) throws IOException {
            try (GitRepository git = GitRepository.require(context.workspace(), "check the run's version tag")) {
                Optional<ObjectId> commit = commit(context, git);
                if (commit.isEmpty()) {
                    return CheckResult.fail("the repository at " + git.location() + " has no commit to check.");
                }
                List<String> tags = git.tagsAt(commit.get());
                Optional<String> version = tags.stream().filter(t -> SEMVER.matcher(t).matches()).findFirst();
                if (version.isPresent()) {
                    return CheckResult.pass("tag '" + version.get() + "' at " + shortId(commit.get())
                            + " is a semantic version.");
                }
                return CheckResult.fail((tags.isEmpty() ? "commit " + shortId(commit.get()) + " has no tag"
                        : "the tags at " + shortId(commit.get()) + " " + tags + " are not semantic versions")
                        + "; expected a tag such as v1.2.3 or 1.2.3-rc.1 (SemVer 2.0.0).");
            } catch (PipewrightException e) {
                return CheckResult.fail(e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "semantic version tag";
        }
    }

    private record ChangedTogether(PathPattern when, PathPattern also) implements Check {
        @Override
        public CheckResult evaluate(RunContext context) throws IOException {
            Set<String> changed;
            try {
                changed = changedPaths(context);
            } catch (PipewrightException e) {
                return CheckResult.fail("cannot tell what changed: " + e.getMessage());
            }
            List<String> trigger = changed.stream().filter(when::matches).toList();
            if (trigger.isEmpty()) {
                return CheckResult.pass("no changed path matches " + when + ".");
            }
            Optional<String> companion = changed.stream().filter(also::matches).findFirst();
            if (companion.isPresent()) {
                return CheckResult.pass(trigger.get(0) + " changed, and so did " + companion.get() + ".");
            }
            String shown = trigger.size() <= 3 ? String.join(", ", trigger)
                    : String.join(", ", trigger.subList(0, 3)) + " and " + (trigger.size() - 3) + " more";
            return CheckResult.fail(shown + " changed (matching " + when + "), but no path matching " + also
                    + " did; expected both to change together. Update " + also + " in the same change.");
        }

        private static Set<String> changedPaths(RunContext context) throws IOException {
            if (context instanceof StepContext step && step.facts().changedPaths().isPresent()) {
                return step.facts().changedPaths().get();
            }
            try (GitRepository git = GitRepository.require(context.workspace(), "find the changed paths")) {
                ObjectId head = commit(context, git).orElseThrow(() -> new PipewrightException("the repository at "
                        + git.location() + " has no commit."));
                return ChangedPaths.sinceDefaultBranch(git.location(), head.name()).paths();
            }
        }

        @Override
        public String toString() {
            return "changed together: " + when + " with " + also;
        }
    }

    private enum RefUnchanged implements Check {
        INSTANCE;

        @Override
        public CheckResult evaluate(RunContext context) throws IOException {
            Optional<String> runCommit = context.commit();
            if (runCommit.isEmpty()) {
                return CheckResult.fail("the run has no commit, so nothing was pinned to compare "
                        + context.ref() + " with.");
            }
            String pinned = context instanceof StepContext step
                    ? step.state(GitPlugin.PINNED_COMMIT, runCommit::get) : runCommit.get();
            Ref ref = context.ref();
            try (GitRepository git = GitRepository.require(context.workspace(), "check " + ref + " did not move")) {
                List<String> names = ref.kind() == Ref.Kind.BRANCH
                        ? List.of(Constants.R_HEADS + ref.name(), GitRepository.ORIGIN + ref.name())
                        : List.of(Constants.R_TAGS + ref.name());
                for (String name : names) {
                    org.eclipse.jgit.lib.Ref found = git.jgit().exactRef(name);
                    if (found == null) {
                        continue;
                    }
                    found = git.jgit().getRefDatabase().peel(found);
                    ObjectId now = found.getPeeledObjectId() != null ? found.getPeeledObjectId() : found.getObjectId();
                    String shortName = org.eclipse.jgit.lib.Repository.shortenRefName(name);
                    if (now != null && now.name().equals(pinned)) {
                        return CheckResult.pass(shortName + " is still at the pinned commit " + shortId(now) + ".");
                    }
                    return CheckResult.fail(shortName + " moved: it is at " + (now == null ? "nothing" : now.name())
                            + " but the run is pinned to " + pinned + ". What was checked is not what would be"
                            + " deployed; start a new run for the new commit.");
                }
                return CheckResult.fail(ref + " is not in the repository at " + git.location()
                        + ", so the pinned commit " + pinned + " cannot be confirmed.");
            } catch (PipewrightException e) {
                return CheckResult.fail(e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "ref unchanged";
        }
    }

    /** The run's commit, or the repository's HEAD when the run has none. */
    private static Optional<ObjectId> commit(RunContext context, GitRepository git) throws IOException {
        Optional<String> commit = context.commit();
        return commit.isPresent() ? Optional.of(git.resolveCommit(commit.get())) : git.head();
    }

    private static String shortId(ObjectId id) {
        return id.name().substring(0, 12);
    }
}
