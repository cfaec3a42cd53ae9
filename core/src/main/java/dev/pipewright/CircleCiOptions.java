package dev.pipewright;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * CircleCI-only details that ride on a pipeline, an environment or a stage: executor, resource
 * class, orbs, contexts, caches, workspaces, test results and artifacts. They change nothing in a
 * local run. A stage's effective options are the pipeline's, overridden by its environment's,
 * overridden by its own (see {@link #overriddenBy}).
 *
 * <pre>{@code
 * .circleci(c -> c.docker("cimg/openjdk:17.0").resourceClass("medium")
 *     .restoreCache("maven-{{ checksum \"pom.xml\" }}")
 *     .saveCache("maven-{{ checksum \"pom.xml\" }}", "~/.m2"))
 * }</pre>
 *
 * <p>Options are immutable and thread-safe. Empty means unset: the less specific level's value,
 * or CircleCI's and the exporter's default, applies.
 *
 * @since 0.1
 */
public final class CircleCiOptions {
    private static final CircleCiOptions NONE = new Builder().buildLenient();
    private static final Pattern ORB_ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern ORB_REF = Pattern.compile(
            "[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*@(\\d+(\\.\\d+){0,2}|volatile|dev:[A-Za-z0-9._-]+|<<.+>>)");

    /**
     * Where a job runs: a {@link Docker} image, a {@link Machine} image or a {@link Named}
     * executor.
     *
     * @since 0.1
     */
    public sealed interface Executor permits Docker, Machine, Named {
    }

    /**
     * A docker executor.
     *
     * @param image the primary container's image
     * @param services images of service containers (databases and the like); empty for none
     * @since 0.1
     */
    public record Docker(String image, List<String> services) implements Executor {
        /**
         * Copies the services list.
         *
         * @throws NullPointerException if {@code services} is or holds null
         */
        public Docker {
            services = List.copyOf(services);
        }
    }

    /**
     * A machine executor.
     *
     * @param image the machine image, such as {@code ubuntu-2404:current}
     * @since 0.1
     */
    public record Machine(String image) implements Executor {
    }

    /**
     * A reusable or orb executor by name.
     *
     * @param name such as {@code node/default}
     * @since 0.1
     */
    public record Named(String name) implements Executor {
    }

    /**
     * A cache saved after the stage's steps.
     *
     * @param key the cache key, with CircleCI templates such as {@code {{ checksum "pom.xml" }}}
     * @param paths what to save
     * @since 0.1
     */
    public record Cache(String key, List<String> paths) {
        /**
         * Copies the paths.
         *
         * @throws NullPointerException if {@code paths} is or holds null
         */
        public Cache {
            paths = List.copyOf(paths);
        }
    }

    /**
     * Files persisted to the workflow's workspace after the stage's steps.
     *
     * @param root the folder the paths are relative to
     * @param paths what to persist
     * @since 0.1
     */
    public record Workspace(String root, List<String> paths) {
        /**
         * Copies the paths.
         *
         * @throws NullPointerException if {@code paths} is or holds null
         */
        public Workspace {
            paths = List.copyOf(paths);
        }
    }

    private final Optional<Executor> executor;
    private final Optional<String> resourceClass;
    private final Map<String, String> orbs;
    private final List<String> contexts;
    private final List<String> restoreCacheKeys;
    private final List<Cache> saveCaches;
    private final Optional<String> attachWorkspace;
    private final List<Workspace> persistToWorkspace;
    private final List<String> storeTestResults;
    private final List<String> storeArtifacts;
    private final Optional<String> launcher;

    private CircleCiOptions(Builder b) {
        this.executor = Optional.ofNullable(b.executor);
        this.resourceClass = Optional.ofNullable(b.resourceClass);
        this.orbs = ImmutableMap.copyOf(b.orbs);
        this.contexts = ImmutableList.copyOf(b.contexts);
        this.restoreCacheKeys = ImmutableList.copyOf(b.restoreCacheKeys);
        this.saveCaches = ImmutableList.copyOf(b.saveCaches);
        this.attachWorkspace = Optional.ofNullable(b.attachWorkspace);
        this.persistToWorkspace = ImmutableList.copyOf(b.persistToWorkspace);
        this.storeTestResults = ImmutableList.copyOf(b.storeTestResults);
        this.storeArtifacts = ImmutableList.copyOf(b.storeArtifacts);
        this.launcher = Optional.ofNullable(b.launcher);
    }

    /** No options: CircleCI's and the exporter's defaults apply. */
    public static CircleCiOptions none() {
        return NONE;
    }

    /** An empty builder: no executor, no orbs, nothing cached, persisted or stored. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.executor = executor.orElse(null);
        b.resourceClass = resourceClass.orElse(null);
        b.orbs.putAll(orbs);
        b.contexts.addAll(contexts);
        b.restoreCacheKeys.addAll(restoreCacheKeys);
        b.saveCaches.addAll(saveCaches);
        b.attachWorkspace = attachWorkspace.orElse(null);
        b.persistToWorkspace.addAll(persistToWorkspace);
        b.storeTestResults.addAll(storeTestResults);
        b.storeArtifacts.addAll(storeArtifacts);
        b.launcher = launcher.orElse(null);
        return b;
    }

    /**
     * These options with {@code specific}'s on top: its executor, resource class, workspace to
     * attach and launcher win when set; orbs merge (its alias wins); lists are joined without
     * repeats, these options' items first.
     *
     * @throws NullPointerException if {@code specific} is null
     */
    public CircleCiOptions overriddenBy(CircleCiOptions specific) {
        if (specific.equals(NONE)) {
            return this;
        }
        Builder b = toBuilder();
        specific.executor.ifPresent(e -> b.executor = e);
        specific.resourceClass.ifPresent(r -> b.resourceClass = r);
        b.orbs.putAll(specific.orbs);
        join(b.contexts, specific.contexts);
        join(b.restoreCacheKeys, specific.restoreCacheKeys);
        join(b.saveCaches, specific.saveCaches);
        specific.attachWorkspace.ifPresent(a -> b.attachWorkspace = a);
        join(b.persistToWorkspace, specific.persistToWorkspace);
        join(b.storeTestResults, specific.storeTestResults);
        join(b.storeArtifacts, specific.storeArtifacts);
        specific.launcher.ifPresent(l -> b.launcher = l);
        return b.buildLenient();
    }

    private static <T> void join(List<T> target, List<T> more) {
        LinkedHashSet<T> all = new LinkedHashSet<>(target);
        all.addAll(more);
        target.clear();
        target.addAll(all);
    }

    /** Where the job runs; empty for the exporter's default executor. */
    public Optional<Executor> executor() {
        return executor;
    }

    /** The CircleCI resource class, such as {@code medium}; empty for the executor's default. */
    public Optional<String> resourceClass() {
        return resourceClass;
    }

    /** Orb alias to orb reference ({@code circleci/aws-cli@5.1}), in the order declared. */
    public Map<String, String> orbs() {
        return orbs;
    }

    /** CircleCI contexts whose secrets the job receives, in the order declared. */
    public List<String> contexts() {
        return contexts;
    }

    /** Cache keys restored before the stage's steps, most specific first. */
    public List<String> restoreCacheKeys() {
        return restoreCacheKeys;
    }

    /** Caches saved after the stage's steps, in the order declared. */
    public List<Cache> saveCaches() {
        return saveCaches;
    }

    /** Where the workflow's workspace is attached before the steps; empty to attach none. */
    public Optional<String> attachWorkspace() {
        return attachWorkspace;
    }

    /** Files persisted to the workflow's workspace after the steps, in the order declared. */
    public List<Workspace> persistToWorkspace() {
        return persistToWorkspace;
    }

    /** Paths of JUnit XML results stored after the steps. */
    public List<String> storeTestResults() {
        return storeTestResults;
    }

    /** Paths stored as build artifacts after the steps. */
    public List<String> storeArtifacts() {
        return storeArtifacts;
    }

    /**
     * The command that starts the team's Pipewright {@code main} in a CircleCI job, for the steps
     * and check gates that run Java code there: the exporter appends {@code step ...} or {@code
     * gate ...} to it. Empty for the default, {@value #DEFAULT_LAUNCHER}.
     */
    public Optional<String> launcher() {
        return launcher;
    }

    /** The launcher used when none is set: a script the team commits next to its build. */
    public static final String DEFAULT_LAUNCHER = "./pipewright";

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof CircleCiOptions c && executor.equals(c.executor) && resourceClass.equals(c.resourceClass)
                && orbs.equals(c.orbs) && contexts.equals(c.contexts) && restoreCacheKeys.equals(c.restoreCacheKeys)
                && saveCaches.equals(c.saveCaches) && attachWorkspace.equals(c.attachWorkspace)
                && persistToWorkspace.equals(c.persistToWorkspace) && storeTestResults.equals(c.storeTestResults)
                && storeArtifacts.equals(c.storeArtifacts) && launcher.equals(c.launcher);
    }

    @Override
    public int hashCode() {
        return Objects.hash(executor, resourceClass, orbs, contexts, restoreCacheKeys, saveCaches, attachWorkspace,
                persistToWorkspace, storeTestResults, storeArtifacts, launcher);
    }

    @Override
    public String toString() {
        return "CircleCiOptions{executor=" + executor + ", resourceClass=" + resourceClass + ", orbs=" + orbs
                + ", contexts=" + contexts + "}";
    }

    /**
     * Builds {@link CircleCiOptions}. Setting an executor ({@code docker}, {@code machine},
     * {@code executor}) replaces any executor set before; {@code resourceClass}, {@code
     * attachWorkspace} and {@code launcher} replace their value too, and {@code orb} replaces an
     * orb of the same alias; the other setters add.
     *
     * <p>A null, blank or malformed argument is recorded as a problem, not thrown: {@link #build()}
     * reports every problem at once, or, for a builder configured inside a pipeline, environment
     * or stage, that holder's {@code build()} does. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private @Nullable Executor executor;
        private @Nullable String resourceClass;
        private final Map<String, String> orbs = new LinkedHashMap<>();
        private final List<String> contexts = new ArrayList<>();
        private final List<String> restoreCacheKeys = new ArrayList<>();
        private final List<Cache> saveCaches = new ArrayList<>();
        private @Nullable String attachWorkspace;
        private final List<Workspace> persistToWorkspace = new ArrayList<>();
        private final List<String> storeTestResults = new ArrayList<>();
        private final List<String> storeArtifacts = new ArrayList<>();
        private @Nullable String launcher;
        private final Problems problems = new Problems();

        private Builder() {
        }

        /** Runs in docker {@code image}, with {@code services} as service containers. */
        @CanIgnoreReturnValue
        public Builder docker(String image, String... services) {
            if (text(image, "docker") && problems.nonNullElements(services, "docker.services")) {
                executor = new Docker(image, List.of(services));
            }
            return this;
        }

        /** Runs on a machine {@code image}, such as {@code ubuntu-2404:current}. */
        @CanIgnoreReturnValue
        public Builder machine(String image) {
            if (text(image, "machine")) {
                executor = new Machine(image);
            }
            return this;
        }

        /** Runs in a reusable or orb executor, such as {@code node/default}. */
        @CanIgnoreReturnValue
        public Builder executor(String name) {
            if (text(name, "executor")) {
                executor = new Named(name);
            }
            return this;
        }

        /** The CircleCI resource class, such as {@code medium} or {@code large}. */
        @CanIgnoreReturnValue
        public Builder resourceClass(String resourceClass) {
            if (text(resourceClass, "resource_class")) {
                this.resourceClass = resourceClass;
            }
            return this;
        }

        /** Declares orb {@code reference} ({@code circleci/aws-cli@5.1}) as {@code alias}. */
        @CanIgnoreReturnValue
        public Builder orb(String alias, String reference) {
            if (text(alias, "orbs") && text(reference, "orbs." + alias)) {
                if (!ORB_ALIAS.matcher(alias).matches()) {
                    problems.add("orbs", "'" + alias + "' is not a valid orb alias.",
                            "Start with a letter; use letters, digits, '-' and '_'.");
                } else if (!ORB_REF.matcher(reference).matches()) {
                    problems.add("orbs." + alias, "'" + reference + "' is not an orb reference.",
                            "Write namespace/name@version, such as circleci/aws-cli@5.1.");
                } else {
                    orbs.put(alias, reference);
                }
            }
            return this;
        }

        /** Adds a CircleCI context whose secrets the job receives. */
        @CanIgnoreReturnValue
        public Builder context(String context) {
            if (text(context, "context")) {
                contexts.add(context);
            }
            return this;
        }

        /** Restores the first cache found among {@code keys} (prefix matches) before the steps. */
        @CanIgnoreReturnValue
        public Builder restoreCache(String... keys) {
            if (problems.nonNullElements(keys, "restore_cache")) {
                for (String k : keys) {
                    if (text(k, "restore_cache")) {
                        restoreCacheKeys.add(k);
                    }
                }
            }
            return this;
        }

        /** Saves {@code paths} under {@code key} after the steps. */
        @CanIgnoreReturnValue
        public Builder saveCache(String key, String... paths) {
            if (text(key, "save_cache") && paths(paths, "save_cache.paths")) {
                saveCaches.add(new Cache(key, List.of(paths)));
            }
            return this;
        }

        /** Attaches the workflow's workspace at {@code at} before the steps. */
        @CanIgnoreReturnValue
        public Builder attachWorkspace(String at) {
            if (text(at, "attach_workspace")) {
                attachWorkspace = at;
            }
            return this;
        }

        /** Persists {@code paths} (relative to {@code root}) to the workspace after the steps. */
        @CanIgnoreReturnValue
        public Builder persistToWorkspace(String root, String... paths) {
            if (text(root, "persist_to_workspace") && paths(paths, "persist_to_workspace.paths")) {
                persistToWorkspace.add(new Workspace(root, List.of(paths)));
            }
            return this;
        }

        /** Stores JUnit XML results from {@code path} after the steps. */
        @CanIgnoreReturnValue
        public Builder storeTestResults(String path) {
            if (text(path, "store_test_results")) {
                storeTestResults.add(path);
            }
            return this;
        }

        /** Stores {@code path} as a build artifact after the steps. */
        @CanIgnoreReturnValue
        public Builder storeArtifacts(String path) {
            if (text(path, "store_artifacts")) {
                storeArtifacts.add(path);
            }
            return this;
        }

        /** The command that starts the team's Pipewright {@code main} in CI, such as {@code java -jar ci/pipeline.jar}. */
        @CanIgnoreReturnValue
        public Builder launcher(String command) {
            if (text(command, "launcher")) {
                launcher = command;
            }
            return this;
        }

        private boolean text(@Nullable String value, String path) {
            if (!problems.nonNull(value, path)) {
                return false;
            }
            if (value.isBlank()) {
                problems.add(path, "a blank value was given.", "Give a value.");
                return false;
            }
            return true;
        }

        private boolean paths(@Nullable String @Nullable [] paths, String path) {
            if (!problems.nonNullElements(paths, path)) {
                return false;
            }
            if (paths.length == 0) {
                problems.add(path, "no paths were given.", "Name at least one path.");
                return false;
            }
            return true;
        }

        /** Problems found so far, paths relative to the options. */
        List<Problem> problems() {
            return problems.list();
        }

        /**
         * The options.
         *
         * @throws InvalidPipelineException listing every problem
         */
        public CircleCiOptions build() {
            problems.throwIfAny("CircleCI options");
            return buildLenient();
        }

        CircleCiOptions buildLenient() {
            return new CircleCiOptions(this);
        }
    }
}
