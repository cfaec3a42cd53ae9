package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import dev.pipewright.Ref;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RepositoryFacts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a run's {@link Facts} from the Git repository holding a folder, with JGit:
 *
 * <ul>
 *   <li><b>ref</b>: the branch {@code HEAD} is on (also in a repository without commits). On a
 *       detached head, as CI checkouts leave it, the branch the CI names: {@code CIRCLE_BRANCH},
 *       {@code GITHUB_HEAD_REF}, {@code GITHUB_REF_NAME} (unless {@code GITHUB_REF_TYPE} is
 *       {@code tag}), {@code CI_COMMIT_REF_NAME} (unless {@code CI_COMMIT_TAG} is set),
 *       {@code BRANCH_NAME} (unless {@code TAG_NAME} is set), the first that is set and not blank;
 *       else the tag the CI names ({@code CIRCLE_TAG}, {@code GITHUB_REF_NAME} of a tag,
 *       {@code CI_COMMIT_TAG}, {@code TAG_NAME}); else the first tag at {@code HEAD} by name; else
 *       no ref;
 *   <li><b>commit</b>: {@code HEAD}'s full id, with its author ({@code Name <email>}) and message;
 *       none in a repository without commits;
 *   <li><b>tags</b>: every tag at {@code HEAD}, annotated or lightweight, sorted;
 *   <li><b>dirty</b>: whether tracked files changed or untracked files (not ignored) exist;
 *   <li><b>default branch</b>: where {@code origin/HEAD} points; else {@code init.defaultBranch}
 *       when that branch exists; else {@code main} or {@code master}, the first that exists; else
 *       {@code init.defaultBranch} (a new repository);
 *   <li><b>changed paths</b>: what {@link ChangedPaths#sinceDefaultBranch} gives for {@code HEAD}
 *       (the CircleCI {@code path-filtering} orb's rule), when the default branch has a commit;
 *       unknown otherwise.
 * </ul>
 *
 * <p>The folder may be anywhere inside the work tree, or in a linked worktree ({@code git worktree
 * add}). The CI variables come from the environment given at construction, so tests and embedding
 * code can pass their own. Thread-safe: each {@link #read} opens and closes the repository.
 *
 * <pre>{@code
 * Optional<Facts> facts = GitFacts.defaults().read(Path.of("."));
 * }</pre>
 *
 * @since 0.1
 */
public final class GitFacts implements RepositoryFacts {
    private static final Logger LOG = LoggerFactory.getLogger(GitFacts.class);

    private final Map<String, String> environment;

    private GitFacts(Map<String, String> environment) {
        this.environment = ImmutableMap.copyOf(environment);
    }

    /** A reader taking CI variables from this process's environment ({@link System#getenv()}). */
    public static GitFacts defaults() {
        return new GitFacts(System.getenv());
    }

    /**
     * A reader taking CI variables from {@code environment}.
     *
     * @throws NullPointerException if {@code environment}, a name or a value is null
     */
    public static GitFacts of(Map<String, String> environment) {
        return new GitFacts(checkNotNull(environment, "environment"));
    }

    /**
     * The facts of the repository holding {@code folder}; empty if {@code folder} is in none.
     *
     * @throws dev.pipewright.PipewrightException if {@code folder} is not a folder
     * @throws IOException if the repository is there but cannot be read
     */
    @Override
    public Optional<Facts> read(Path folder) throws IOException {
        checkNotNull(folder, "folder");
        Optional<GitRepository> found = GitRepository.find(folder);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        try (GitRepository git = found.get()) {
            return Optional.of(read(git));
        }
    }

    /**
     * As {@link #read(Path)}, with the changed paths counted from commit {@code since} (the last
     * successful run's): the paths changed between the merge base of {@code since} and HEAD, and
     * HEAD. When {@code since} is not in the repository (history rewritten, a shallow clone), the
     * changes since the default branch, with a warning.
     */
    @Override
    public Optional<Facts> read(Path folder, String since) throws IOException {
        checkNotNull(folder, "folder");
        checkNotNull(since, "since");
        Optional<GitRepository> found = GitRepository.find(folder);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        try (GitRepository git = found.get()) {
            Facts facts = read(git);
            Optional<ObjectId> head = git.head();
            ObjectId base;
            try {
                base = git.commit(ObjectId.fromString(since)).getId();
            } catch (IllegalArgumentException | IOException e) {
                LOG.warn("The last successful run's commit {} is not in {}; counting changes since the default"
                        + " branch instead", since, git.location());
                return Optional.of(facts);
            }
            if (head.isEmpty()) {
                return Optional.of(facts);
            }
            return Optional.of(facts.toBuilder()
                    .changedPaths(ChangedPaths.sinceMergeBase(git, base, head.get()).paths()).build());
        }
    }

    private Facts read(GitRepository git) throws IOException {
        Facts.Builder facts = Facts.builder();
        Optional<ObjectId> head = git.head();
        List<String> tags = head.isPresent() ? git.tagsAt(head.get()) : List.of();
        facts.tags(tags);
        ref(git, tags).ifPresent(facts::ref);
        if (head.isPresent()) {
            RevCommit commit = git.commit(head.get());
            PersonIdent author = commit.getAuthorIdent();
            facts.commit(commit.name())
                    .author(author.getName() + " <" + author.getEmailAddress() + ">")
                    .message(commit.getFullMessage().stripTrailing());
        }
        if (git.workTree().isPresent() && !git.status().isClean()) {
            facts.dirty();
        }
        Optional<String> defaultBranch = git.defaultBranch();
        defaultBranch.ifPresent(facts::defaultBranch);
        if (head.isPresent() && defaultBranch.isPresent()) {
            Optional<GitRepository.BranchTip> tip = git.branchTip(defaultBranch.get());
            if (tip.isPresent()) {
                facts.changedPaths(ChangedPaths.sinceMergeBase(git, tip.get().commit(), head.get()).paths());
            }
        }
        Facts read = facts.build();
        LOG.debug("Read {} from the Git repository at {}", read, git.location());
        return read;
    }

    private Optional<Ref> ref(GitRepository git, List<String> tags) throws IOException {
        Optional<String> branch = git.currentBranch();
        if (branch.isPresent()) {
            return Optional.of(Ref.branch(branch.get()));
        }
        String ciBranch = first(variable("CIRCLE_BRANCH"), variable("GITHUB_HEAD_REF"),
                githubRefIsTag() ? null : variable("GITHUB_REF_NAME"),
                variable("CI_COMMIT_TAG") != null ? null : variable("CI_COMMIT_REF_NAME"),
                variable("TAG_NAME") != null ? null : variable("BRANCH_NAME"));
        if (ciBranch != null) {
            return Optional.of(Ref.branch(ciBranch));
        }
        String ciTag = first(variable("CIRCLE_TAG"), githubRefIsTag() ? variable("GITHUB_REF_NAME") : null,
                variable("CI_COMMIT_TAG"), variable("TAG_NAME"));
        if (ciTag != null) {
            return Optional.of(Ref.tag(ciTag));
        }
        return tags.isEmpty() ? Optional.empty() : Optional.of(Ref.tag(tags.get(0)));
    }

    private boolean githubRefIsTag() {
        String ref = variable("GITHUB_REF");
        return "tag".equals(variable("GITHUB_REF_TYPE")) || ref != null && ref.startsWith("refs/tags/");
    }

    /** The variable's value, or null when it is unset or blank (GitHub sets GITHUB_HEAD_REF empty on pushes). */
    private @Nullable String variable(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static @Nullable String first(@Nullable String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Git repository facts";
    }
}
