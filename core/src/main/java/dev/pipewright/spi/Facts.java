package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.Ref;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a run is for, as read from its repository or given on the command line: the branch or
 * tag (which filters see), the commit, and when known the paths changed. Immutable.
 *
 * <pre>{@code
 * Facts facts = Facts.builder().ref(Ref.branch("master")).commit("4f1c2d...").build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Facts {
    /** No facts at all: no ref, no commit. */
    public static final Facts NONE = builder().build();

    private final @Nullable Ref ref;
    private final List<String> tags;
    private final @Nullable String commit;
    private final @Nullable String author;
    private final @Nullable String message;
    private final boolean dirty;
    private final @Nullable String defaultBranch;
    private final @Nullable Set<String> changedPaths;

    private Facts(Builder b) {
        this.ref = b.ref;
        this.tags = ImmutableList.copyOf(b.tags);
        this.commit = b.commit;
        this.author = b.author;
        this.message = b.message;
        this.dirty = b.dirty;
        this.defaultBranch = b.defaultBranch;
        this.changedPaths = b.changedPaths == null ? null : ImmutableSet.copyOf(b.changedPaths);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these facts. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ref = ref;
        b.tags = tags;
        b.commit = commit;
        b.author = author;
        b.message = message;
        b.dirty = dirty;
        b.defaultBranch = defaultBranch;
        b.changedPaths = changedPaths;
        return b;
    }

    /** The branch or tag filters see; empty on a detached head with no tag and no CI branch. */
    public Optional<Ref> ref() {
        return Optional.ofNullable(ref);
    }

    /** Every tag pointing at the commit. */
    public List<String> tags() {
        return tags;
    }

    /** The full commit id. */
    public Optional<String> commit() {
        return Optional.ofNullable(commit);
    }

    /** The commit's author, {@code Name <email>}. */
    public Optional<String> author() {
        return Optional.ofNullable(author);
    }

    /** The commit's message. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    /** Whether the working tree has uncommitted changes. */
    public boolean dirty() {
        return dirty;
    }

    /** The repository's default branch, such as {@code master}. */
    public Optional<String> defaultBranch() {
        return Optional.ofNullable(defaultBranch);
    }

    /** The paths changed by the run's commits, relative to the repository; empty if unknown. */
    public Optional<Set<String>> changedPaths() {
        return Optional.ofNullable(changedPaths);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Facts f && Objects.equals(ref, f.ref) && tags.equals(f.tags)
                && Objects.equals(commit, f.commit) && Objects.equals(author, f.author)
                && Objects.equals(message, f.message) && dirty == f.dirty
                && Objects.equals(defaultBranch, f.defaultBranch) && Objects.equals(changedPaths, f.changedPaths);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ref, tags, commit, author, message, dirty, defaultBranch, changedPaths);
    }

    @Override
    public String toString() {
        return (ref == null ? "no branch or tag" : ref.toString())
                + (commit == null ? "" : " at " + commit.substring(0, Math.min(12, commit.length())))
                + (dirty ? " (dirty)" : "");
    }

    /**
     * Builds {@link Facts}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private @Nullable Ref ref;
        private List<String> tags = List.of();
        private @Nullable String commit;
        private @Nullable String author;
        private @Nullable String message;
        private boolean dirty;
        private @Nullable String defaultBranch;
        private @Nullable Collection<String> changedPaths;

        private Builder() { }

        /** The branch or tag filters see. */
        @CanIgnoreReturnValue
        public Builder ref(Ref ref) {
            this.ref = checkNotNull(ref, "ref");
            return this;
        }

        /** Every tag at the commit; replaces. */
        @CanIgnoreReturnValue
        public Builder tags(Collection<String> tags) {
            this.tags = List.copyOf(tags);
            return this;
        }

        /** The full commit id. */
        @CanIgnoreReturnValue
        public Builder commit(String commit) {
            this.commit = checkNotNull(commit, "commit");
            return this;
        }

        /** The commit's author. */
        @CanIgnoreReturnValue
        public Builder author(String author) {
            this.author = checkNotNull(author, "author");
            return this;
        }

        /** The commit's message. */
        @CanIgnoreReturnValue
        public Builder message(String message) {
            this.message = checkNotNull(message, "message");
            return this;
        }

        /** Marks the working tree as having uncommitted changes. */
        @CanIgnoreReturnValue
        public Builder dirty() {
            this.dirty = true;
            return this;
        }

        /** The repository's default branch. */
        @CanIgnoreReturnValue
        public Builder defaultBranch(String branch) {
            this.defaultBranch = checkNotNull(branch, "branch");
            return this;
        }

        /** The changed paths, relative to the repository; replaces. */
        @CanIgnoreReturnValue
        public Builder changedPaths(Collection<String> paths) {
            this.changedPaths = List.copyOf(paths);
            return this;
        }

        /** The facts. */
        public Facts build() {
            return new Facts(this);
        }
    }
}
