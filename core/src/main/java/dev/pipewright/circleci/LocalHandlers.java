package dev.pipewright.circleci;

import com.google.common.collect.ImmutableMap;
import dev.pipewright.Ref;
import dev.pipewright.Step;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.Key;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.StageResult;
import dev.pipewright.spi.StepContext;
import dev.pipewright.spi.StepFailedException;
import dev.pipewright.spi.StepHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step handlers of a CircleCI workflow run locally, as one {@link Plugin}: {@code run} in the
 * host's shell, caches, the workspace, artifacts and test results. Files that belong to the run
 * go in its folder: {@code circleci/workspace/<stage>/} for each job's persisted workspace layer,
 * {@code artifacts/<stage>/} for artifacts; caches go in the folder given, which outlives runs.
 */
final class LocalHandlers implements Plugin {
    private static final Logger LOG = LoggerFactory.getLogger(LocalHandlers.class);
    private static final Key<Map<String, Progress>> PROGRESS = Key.named("circleci.job-progress");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    private static final String ON_FAILURE = ":onFailure";

    /** How far the main steps of a job got in this run: the place of the last that started. */
    private static final class Progress {
        private int lastStarted;
    }

    /** One step's work. */
    @FunctionalInterface
    private interface Work<S extends Step> {
        void run(S step, StepContext context) throws Exception;
    }

    private record Handler<S extends Step>(String type, Class<S> kind, Work<S> work) implements StepHandler {
        @Override
        public void run(Step step, StepContext context) throws Exception {
            if (!kind.isInstance(step)) {
                throw new StepFailedException("step '" + step.name() + "' of type " + type + " was not made from a"
                        + " CircleCI configuration; this handler runs only those.");
            }
            work.run(kind.cast(step), context);
        }
    }

    private final LocalCaches caches;
    private final Map<String, String> exported;
    private final Map<String, List<Thread>> background = new ConcurrentHashMap<>();
    private final List<StepHandler> handlers;

    /**
     * @param caches where caches are kept
     * @param exported variables every run step exports, masked by the runner as secrets: those of
     *     the environment file whose names stages cannot declare ({@code CIRCLE_TOKEN}, say)
     */
    LocalHandlers(Path caches, Map<String, String> exported) {
        this.caches = new LocalCaches(caches);
        this.exported = ImmutableMap.copyOf(exported);
        this.handlers = List.of(
                new Handler<>(LocalSteps.RUN, LocalSteps.Run.class, this::run),
                new Handler<>(LocalSteps.SAVE_CACHE, LocalSteps.SaveCache.class, this::saveCache),
                new Handler<>(LocalSteps.RESTORE_CACHE, LocalSteps.RestoreCache.class, this::restoreCache),
                new Handler<>(LocalSteps.STORE_ARTIFACTS, LocalSteps.StoreArtifacts.class, this::storeArtifacts),
                new Handler<>(LocalSteps.STORE_TEST_RESULTS, LocalSteps.StoreTestResults.class, this::storeTestResults),
                new Handler<>(LocalSteps.PERSIST_TO_WORKSPACE, LocalSteps.PersistToWorkspace.class, this::persist),
                new Handler<>(LocalSteps.ATTACH_WORKSPACE, LocalSteps.AttachWorkspace.class, this::attach),
                new Handler<>(LocalSteps.NO_OP, LocalSteps.NoOp.class, (s, c) -> c.log(s.name() + ": " + s.reason() + ".")));
    }

    @Override
    public String name() {
        return "circleci-local";
    }

    @Override
    public List<StepHandler> stepHandlers() {
        return handlers;
    }

    @Override
    public List<RunListener> listeners() {
        return List.of(new RunListener() {
            @Override
            public void stageFinished(StageResult result) {
                stopBackground(result.stage());
            }

            @Override
            public void hookFinished(StageResult result) {
                if (result.stage().endsWith(ON_FAILURE)) {
                    stopBackground(result.stage().substring(0, result.stage().length() - ON_FAILURE.length()));
                }
            }

            @Override
            public void runFinished(RunResult result) {
                List.copyOf(background.keySet()).forEach(LocalHandlers.this::stopBackground);
            }
        });
    }

    Path cachesFolder() {
        return caches.folder();
    }

    // ---------------------------------------------------------------- order within a job

    /**
     * Whether {@code step} runs now. A main step always runs and records its place; a copy run
     * after a failure ({@code when: on_fail} or {@code always}) runs only when it comes after the
     * last main step that started, as on CircleCI, where such steps run once, in order.
     */
    private static boolean begins(LocalSteps.Placed step, StepContext context) {
        Progress progress = context.state(PROGRESS, ConcurrentHashMap::new)
                .computeIfAbsent(stage(context), s -> new Progress());
        synchronized (progress) {
            int index = step.place().index();
            if (!step.place().afterFailure()) {
                progress.lastStarted = index;
                return true;
            }
            boolean runs = index > progress.lastStarted;
            LOG.debug("stage {}: step {} after the failure {}", context.stage(), index, runs ? "runs" : "already ran");
            return runs;
        }
    }

    /** The stage a step belongs to: a stage's {@code onFailure} steps run as {@code <stage>:onFailure}. */
    private static String stage(StepContext context) {
        String stage = context.stage();
        return stage.endsWith(ON_FAILURE) ? stage.substring(0, stage.length() - ON_FAILURE.length()) : stage;
    }

    private static Path jobDirectory(StepContext context, LocalSteps.Place place) throws IOException {
        Path dir = LocalFiles.jobDirectory(context.workspace(), place.workingDirectory());
        Files.createDirectories(dir);
        return dir;
    }

    private static Path resolve(StepContext context, LocalSteps.Place place, String written) {
        return LocalFiles.resolve(context.workspace(), place.workingDirectory(), written);
    }

    /** The variables CircleCI gives every job, as far as they mean something here. */
    private static Map<String, String> builtIn(StepContext context, LocalSteps.Place place, Path jobDirectory) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("CIRCLECI", "true");
        Optional<Ref> ref = context.facts().ref();
        ref.filter(r -> r.kind() == Ref.Kind.BRANCH).ifPresent(r -> env.put("CIRCLE_BRANCH", r.name()));
        ref.filter(r -> r.kind() == Ref.Kind.TAG).ifPresent(r -> env.put("CIRCLE_TAG", r.name()));
        context.facts().commit().ifPresent(c -> env.put("CIRCLE_SHA1", c));
        env.put("CIRCLE_JOB", place.job());
        env.put("CIRCLE_WORKING_DIRECTORY", jobDirectory.toString());
        env.put("CIRCLE_WORKFLOW_ID", context.runId());
        env.put("CIRCLE_BUILD_NUM", "1");
        env.put("CIRCLE_NODE_INDEX", "0");
        env.put("CIRCLE_NODE_TOTAL", "1");
        return env;
    }

    // ---------------------------------------------------------------- run

    private void run(LocalSteps.Run step, StepContext context) throws Exception {
        if (!begins(step, context)) {
            return;
        }
        Path job = jobDirectory(context, step.place());
        Path dir = step.workingDirectory().map(w -> resolve(context, step.place(), w)).orElse(job);
        Files.createDirectories(dir);
        Map<String, String> env = builtIn(context, step.place(), job);
        env.putAll(exported);
        env.putAll(step.environment());
        Path scripts = context.runDirectory().resolve("circleci").resolve("scripts");
        Files.createDirectories(scripts);
        Path script = scripts.resolve(stage(context) + "-" + step.place().index() + "-" + UUID.randomUUID() + ".sh");
        Files.writeString(script, step.command().endsWith("\n") ? step.command() : step.command() + "\n",
                StandardCharsets.UTF_8);
        String wrapper = wrapper(env, dir, step.shell(), script);
        context.log("> " + step.name());
        if (step.background()) {
            Thread t = new Thread(() -> {
                try {
                    context.shell(wrapper);
                    context.log("background step '" + step.name() + "' ended.");
                } catch (StepFailedException e) {
                    if (!Thread.currentThread().isInterrupted()) {
                        context.log("background step '" + step.name() + "' failed: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    LOG.error("background step '{}' of stage {} failed", step.name(), context.stage(), e);
                } finally {
                    deleteQuietly(script);
                }
            }, "circleci-background-" + stage(context) + "-" + step.place().index());
            t.setDaemon(true);
            background.computeIfAbsent(stage(context), s -> new CopyOnWriteArrayList<>()).add(t);
            t.start();
            context.log("background step '" + step.name() + "' started; it is stopped when the job ends.");
            return;
        }
        try {
            context.shell(wrapper);
        } finally {
            deleteQuietly(script);
        }
    }

    /**
     * The script given to the stage's shell: exports the variables (through the shell's standard
     * input, never a command line), enters the folder, then runs the command's file with the job's
     * shell, or {@code bash -eo pipefail} (CircleCI's default) where there is bash.
     */
    static String wrapper(Map<String, String> env, Path dir, Optional<String> shell, Path script) {
        StringBuilder w = new StringBuilder();
        List<String> odd = new ArrayList<>();
        env.forEach((k, v) -> {
            if (IDENTIFIER.matcher(k).matches()) {
                w.append("export ").append(k).append('=').append(quote(v)).append('\n');
            } else {
                odd.add(quote(k + "=" + v));
            }
        });
        w.append("cd ").append(quote(dir.toString())).append(" || exit 1\n");
        String prefix = odd.isEmpty() ? "exec " : "exec env " + String.join(" ", odd) + " ";
        if (shell.isPresent()) {
            w.append(prefix).append(shell.get().strip()).append(' ').append(quote(script.toString())).append('\n');
        } else {
            w.append("if command -v bash >/dev/null 2>&1; then ").append(prefix).append("bash -eo pipefail ")
                    .append(quote(script.toString())).append("; else ").append(prefix).append("/bin/sh -e ")
                    .append(quote(script.toString())).append("; fi\n");
        }
        return w.toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void stopBackground(String stage) {
        List<Thread> threads = background.remove(stage);
        if (threads == null) {
            return;
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(STOP_WAIT.toMillis());
                if (t.isAlive()) {
                    LOG.warn("a background step of stage {} did not stop within {}", stage, STOP_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("could not delete {}", file, e);
        }
    }

    // ---------------------------------------------------------------- caches

    private LocalCaches.Values values(StepContext context, LocalSteps.Place place, Path job) {
        Map<String, String> env = new LinkedHashMap<>(context.environment());
        env.putAll(builtIn(context, place, job));
        env.putAll(exported);
        Optional<Ref> ref = context.facts().ref();
        return new LocalCaches.Values(env, ref.filter(r -> r.kind() == Ref.Kind.BRANCH).map(Ref::name).orElse(""),
                context.facts().commit().orElse(""), job, System.currentTimeMillis() / 1000);
    }

    private void saveCache(LocalSteps.SaveCache step, StepContext context) throws Exception {
        if (!begins(step, context)) {
            return;
        }
        Path job = jobDirectory(context, step.place());
        String key = LocalCaches.key(step.key(), values(context, step.place(), job));
        if (caches.has(key)) {
            context.log("Skipping cache generation: a cache with key " + key + " exists already.");
            return;
        }
        List<Path> paths = new ArrayList<>();
        for (String written : step.paths()) {
            if (LocalFiles.holdsHome(resolve(context, step.place(), written))) {
                throw new StepFailedException("save_cache: path " + written + " is your home folder (or holds it);"
                        + " a local run does not copy it whole. Cache the folders in it that you need.");
            }
            List<Path> found = LocalFiles.isGlob(written) ? LocalFiles.match(job, written)
                    : Files.exists(resolve(context, step.place(), written), LinkOption.NOFOLLOW_LINKS)
                            ? List.of(resolve(context, step.place(), written)) : List.of();
            if (found.isEmpty()) {
                context.log("Warning: " + written + " does not exist; it is not cached.");
            }
            paths.addAll(found);
        }
        if (paths.isEmpty()) {
            context.log("Nothing to cache under key " + key + ".");
            return;
        }
        boolean saved = caches.save(key, paths, job, System.currentTimeMillis());
        context.log(saved ? "Saved cache " + key + " (" + paths.size() + " path" + (paths.size() == 1 ? "" : "s")
                + ") in " + caches.folder() + "." : "Skipping cache generation: a cache with key " + key
                + " was saved meanwhile.");
    }

    private void restoreCache(LocalSteps.RestoreCache step, StepContext context) throws Exception {
        begins(step, context);
        Path job = jobDirectory(context, step.place());
        LocalCaches.Values values = values(context, step.place(), job);
        List<String> keys = new ArrayList<>();
        for (String template : step.keys()) {
            String key = LocalCaches.key(template, values);
            keys.add(key);
            Optional<LocalCaches.Entry> found = caches.newest(key);
            if (found.isPresent()) {
                List<Path> restored = caches.restore(found.get(), job);
                context.log("Found a cache from key " + found.get().key() + "; restored " + restored.size() + " path"
                        + (restored.size() == 1 ? "" : "s") + ".");
                return;
            }
        }
        context.log("No cache is found for key" + (keys.size() == 1 ? " " : "s ") + String.join(", ", keys) + ".");
    }

    // ---------------------------------------------------------------- artifacts and test results

    private void storeArtifacts(LocalSteps.StoreArtifacts step, StepContext context) throws Exception {
        begins(step, context);
        Path source = resolve(context, step.place(), step.path());
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            context.log("No artifact files found at " + step.path() + ".");
            return;
        }
        Path folder = context.runDirectory().resolve("artifacts").resolve(stage(context)).toAbsolutePath().normalize();
        String destination = step.destination().orElse(defaultDestination(step.path(), source));
        Path target = folder.resolve(destination.replaceFirst("^/+", "")).normalize();
        if (!target.startsWith(folder) || target.equals(folder) && !Files.isDirectory(source)) {
            throw new StepFailedException("store_artifacts: destination '" + destination + "' leaves the artifacts folder;"
                    + " give a relative destination without '..'.");
        }
        LocalFiles.copy(source, target, List.of(context.runDirectory()));
        context.attach(Attachment.artifact(target));
        context.log("Stored " + step.path() + " as artifacts/" + stage(context) + "/" + folder.relativize(target) + ".");
    }

    private static String defaultDestination(String written, Path source) {
        String d = LocalFiles.home(written).replaceFirst("^~/?", "").replaceFirst("^/+", "");
        d = Path.of(d.isEmpty() ? "." : d).normalize().toString();
        if (d.isEmpty() || d.equals(".") || d.startsWith("..")) {
            Path name = source.toAbsolutePath().normalize().getFileName();
            return name == null ? "root" : name.toString();
        }
        return d;
    }

    private void storeTestResults(LocalSteps.StoreTestResults step, StepContext context) throws Exception {
        begins(step, context);
        Path source = resolve(context, step.place(), step.path());
        if (!Files.exists(source)) {
            context.log("No test results found at " + step.path() + ".");
            return;
        }
        context.attach(Attachment.testResults(source));
        context.log("Stored test results from " + step.path() + ".");
    }

    // ---------------------------------------------------------------- workspace

    private static Path layers(StepContext context) {
        return context.runDirectory().resolve("circleci").resolve("workspace");
    }

    private void persist(LocalSteps.PersistToWorkspace step, StepContext context) throws Exception {
        begins(step, context);
        Path root = resolve(context, step.place(), step.root());
        if (!Files.isDirectory(root)) {
            throw new StepFailedException("persist_to_workspace: root " + step.root() + " (" + root + ") is not a folder.");
        }
        if (LocalFiles.holdsHome(root)) {
            throw new StepFailedException("persist_to_workspace: root " + step.root() + " is your home folder (or holds"
                    + " it); a local run does not copy it whole. Use a root under the job's working directory.");
        }
        Path layer = layers(context).resolve(stage(context));
        // The journal's folder (every run's) and the caches may lie in the workspace: never in a workspace layer.
        List<Path> skip = new ArrayList<>(List.of(context.runDirectory(), caches.folder()));
        Optional.ofNullable(context.runDirectory().getParent()).ifPresent(skip::add);
        int count = 0;
        for (String written : step.paths()) {
            Path normal = root.resolve(written.strip()).normalize();
            if (!normal.startsWith(root.normalize())) {
                throw new StepFailedException("persist_to_workspace: path '" + written + "' is outside root "
                        + step.root() + "; paths are relative to the root.");
            }
            List<Path> found = LocalFiles.match(root, written);
            if (found.isEmpty()) {
                throw new StepFailedException("persist_to_workspace: '" + written + "' matches no file in " + step.root()
                        + " (" + root + ").");
            }
            for (Path f : found) {
                Path relative = root.normalize().relativize(f.normalize());
                LocalFiles.copy(f, relative.toString().isEmpty() ? layer : layer.resolve(relative.toString()), skip);
                count++;
            }
        }
        context.log("Persisted " + count + " path" + (count == 1 ? "" : "s") + " from " + step.root()
                + " to the workspace.");
    }

    private void attach(LocalSteps.AttachWorkspace step, StepContext context) throws Exception {
        begins(step, context);
        Path at = resolve(context, step.place(), step.at());
        List<String> attached = new ArrayList<>();
        for (String stage : step.upstream()) {
            Path layer = layers(context).resolve(stage);
            if (Files.isDirectory(layer)) {
                LocalFiles.copy(layer, at);
                attached.add(stage);
            }
        }
        Files.createDirectories(at);
        context.log(attached.isEmpty() ? "No workspace to attach: the jobs this one waits for persisted nothing."
                : "Attached the workspace of " + attached + " at '" + step.at() + "'.");
    }
}
