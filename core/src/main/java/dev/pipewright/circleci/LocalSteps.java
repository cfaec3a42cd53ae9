package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import dev.pipewright.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The steps a CircleCI job becomes when it runs locally: one record per built-in step, with the
 * values CircleCI resolved at compile time (parameters, commands, conditions) already in place.
 * Their {@linkplain Step#type() types} are {@code circleci.<step>}, except {@code checkout}, whose
 * handler the {@code git} module gives; steps that cannot run on this machine keep a type of their
 * own and have no handler here, so the runner refuses the run before it starts, naming them.
 */
final class LocalSteps {
    static final String RUN = "circleci.run";
    static final String CHECKOUT = "checkout";
    static final String SAVE_CACHE = "circleci.save-cache";
    static final String RESTORE_CACHE = "circleci.restore-cache";
    static final String STORE_ARTIFACTS = "circleci.store-artifacts";
    static final String STORE_TEST_RESULTS = "circleci.store-test-results";
    static final String PERSIST_TO_WORKSPACE = "circleci.persist-to-workspace";
    static final String ATTACH_WORKSPACE = "circleci.attach-workspace";
    static final String NO_OP = "circleci.no-op";

    private LocalSteps() {
    }

    /** When a step runs within its job, as {@code when:} says: after success, after a failure, or both. */
    enum When {
        ON_SUCCESS, ON_FAIL, ALWAYS;

        String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<When> of(String keyword) {
            for (When w : values()) {
                if (w.keyword().equals(keyword)) {
                    return Optional.of(w);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Where a step stands in its job.
     *
     * @param job the CircleCI job's name in the workflow (its invocation name)
     * @param workingDirectory the job's {@code working_directory} as written; it stands for the
     *     run's workspace
     * @param index the step's place in the job, from 1
     * @param afterFailure whether this copy runs after a step of the job failed ({@code when: on_fail}
     *     or {@code always}); it runs only for steps after the one that failed
     */
    record Place(String job, String workingDirectory, int index, boolean afterFailure) {
        Place {
            checkNotNull(job, "job");
            checkNotNull(workingDirectory, "workingDirectory");
            checkArgument(index >= 1, "index must be positive but was %s", index);
        }

        Place whenFailed() {
            return new Place(job, workingDirectory, index, true);
        }
    }

    /** A step this package runs: it knows its place in the job. */
    sealed interface Placed extends Step permits Run, SaveCache, RestoreCache, StoreArtifacts, StoreTestResults,
            PersistToWorkspace, AttachWorkspace {
        Place place();
    }

    /** {@code run}: a command in the job's shell, with its environment and folder. */
    record Run(String name, String command, Map<String, String> environment, Optional<String> workingDirectory,
            Optional<String> shell, boolean background, When when, Place place) implements Placed {
        Run {
            checkNotNull(name, "name");
            checkNotNull(command, "command");
            environment = ImmutableMap.copyOf(environment);
            checkNotNull(workingDirectory, "workingDirectory");
            checkNotNull(shell, "shell");
            checkNotNull(when, "when");
            checkNotNull(place, "place");
        }

        @Override
        public String type() {
            return RUN;
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("command", command);
            environment.forEach((k, v) -> p.put("environment." + k, v));
            workingDirectory.ifPresent(w -> p.put("working_directory", w));
            shell.ifPresent(s -> p.put("shell", s));
            if (background) {
                p.put("background", "true");
            }
            if (when != When.ON_SUCCESS) {
                p.put("when", when.keyword());
            }
            if (place.afterFailure()) {
                p.put("after_failure", "true");
            }
            return ImmutableMap.copyOf(p);
        }

        Run afterFailure() {
            return new Run(name, command, environment, workingDirectory, shell, background, when, place.whenFailed());
        }
    }

    /** {@code checkout}: run by the {@code git} module's handler; {@code path} is relative to the workspace unless absolute. */
    record Checkout(String path, Optional<String> method, Optional<String> depth) implements Step {
        Checkout {
            checkNotNull(path, "path");
            checkNotNull(method, "method");
            checkNotNull(depth, "depth");
        }

        @Override
        public String type() {
            return CHECKOUT;
        }

        @Override
        public String name() {
            return path.equals(".") ? "checkout" : "checkout into " + path;
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("path", path);
            method.ifPresent(m -> p.put("method", m));
            depth.ifPresent(d -> p.put("depth", d));
            return ImmutableMap.copyOf(p);
        }
    }

    /** {@code save_cache}: copies {@code paths} into the cache under the key the template gives. */
    record SaveCache(String name, String key, List<String> paths, When when, Place place) implements Placed {
        SaveCache {
            checkNotNull(name, "name");
            checkNotNull(key, "key");
            paths = List.copyOf(paths);
            checkNotNull(when, "when");
            checkNotNull(place, "place");
        }

        @Override
        public String type() {
            return SAVE_CACHE;
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("key", key);
            p.put("paths", String.join("\n", paths));
            if (when != When.ON_SUCCESS) {
                p.put("when", when.keyword());
            }
            if (place.afterFailure()) {
                p.put("after_failure", "true");
            }
            return ImmutableMap.copyOf(p);
        }

        SaveCache afterFailure() {
            return new SaveCache(name, key, paths, when, place.whenFailed());
        }
    }

    /** {@code restore_cache}: restores the newest cache whose key starts with the first key template that matches one. */
    record RestoreCache(String name, List<String> keys, Place place) implements Placed {
        RestoreCache {
            checkNotNull(name, "name");
            keys = List.copyOf(keys);
            checkArgument(!keys.isEmpty(), "restore_cache needs a key");
            checkNotNull(place, "place");
        }

        @Override
        public String type() {
            return RESTORE_CACHE;
        }

        @Override
        public Map<String, String> parameters() {
            return ImmutableMap.of("keys", String.join("\n", keys));
        }
    }

    /** {@code store_artifacts}: copies {@code path} into the run folder's {@code artifacts/<stage>/}. */
    record StoreArtifacts(String name, String path, Optional<String> destination, Place place) implements Placed {
        StoreArtifacts {
            checkNotNull(name, "name");
            checkNotNull(path, "path");
            checkNotNull(destination, "destination");
            checkNotNull(place, "place");
        }

        @Override
        public String type() {
            return STORE_ARTIFACTS;
        }

        @Override
        public Map<String, String> parameters() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("path", path);
            destination.ifPresent(d -> p.put("destination", d));
            return ImmutableMap.copyOf(p);
        }
    }

    /** {@code store_test_results}: attaches the JUnit XML at {@code path} to the run's report. */
    record StoreTestResults(String name, String path, Place place) implements Placed {
        StoreTestResults {
            checkNotNull(name, "name");
            checkNotNull(path, "path");
            checkNotNull(place, "place");
        }

        @Override
        public String type() {
            return STORE_TEST_RESULTS;
        }

        @Override
        public Map<String, String> parameters() {
            return ImmutableMap.of("path", path);
        }
    }

    /** {@code persist_to_workspace}: copies {@code paths} (relative to {@code root}, globs allowed) into this job's workspace layer. */
    record PersistToWorkspace(String name, String root, List<String> paths, Place place) implements Placed {
        PersistToWorkspace {
            checkNotNull(name, "name");
            checkNotNull(root, "root");
            paths = List.copyOf(paths);
            checkNotNull(place, "place");
        }

        @Override
        public String type() {
            return PERSIST_TO_WORKSPACE;
        }

        @Override
        public Map<String, String> parameters() {
            return ImmutableMap.of("root", root, "paths", String.join("\n", paths));
        }
    }

    /**
     * {@code attach_workspace}: copies the workspace layers of {@code upstream}, the stages the job
     * waits for directly or not, in run order, into {@code at}.
     */
    record AttachWorkspace(String name, String at, List<String> upstream, Place place) implements Placed {
        AttachWorkspace {
            checkNotNull(name, "name");
            checkNotNull(at, "at");
            upstream = List.copyOf(upstream);
            checkNotNull(place, "place");
        }

        @Override
        public String type() {
            return ATTACH_WORKSPACE;
        }

        @Override
        public Map<String, String> parameters() {
            return ImmutableMap.of("at", at, "from", String.join(",", upstream));
        }
    }

    /** A job that does nothing locally: {@code type: no-op}, and {@code release}, {@code lock} and {@code unlock} jobs. */
    record NoOp(String name, String reason) implements Step {
        NoOp {
            checkNotNull(name, "name");
            checkNotNull(reason, "reason");
        }

        @Override
        public String type() {
            return NO_OP;
        }

        @Override
        public Map<String, String> parameters() {
            return ImmutableMap.of("reason", reason);
        }
    }

    /**
     * A step this machine cannot run as CircleCI would, such as an orb's command
     * ({@code circleci.orb.<orb>.<command>}), {@code setup_remote_docker} or {@code add_ssh_keys}.
     * There is no handler for it here: the run is refused before it starts unless one is registered
     * for its type.
     */
    record Foreign(String type, String name, Map<String, String> parameters) implements Step {
        Foreign {
            checkArgument(TYPE_ID.matcher(type).matches(), "'%s' is not a step type id", type);
            checkNotNull(name, "name");
            parameters = ImmutableMap.copyOf(parameters);
        }
    }

    /**
     * A type id part made of {@code text}: lower case, every run of other characters than letters
     * and digits one {@code -}, starting with a letter.
     */
    static String word(String text) {
        String w = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (w.isEmpty() || !Character.isLetter(w.charAt(0))) {
            w = "x" + (w.isEmpty() ? "" : "-" + w);
        }
        return w;
    }
}
