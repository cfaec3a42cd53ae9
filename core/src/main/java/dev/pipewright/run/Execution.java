package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.Maps;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.JavaStep;
import dev.pipewright.Pipeline;
import dev.pipewright.PipewrightException;
import dev.pipewright.Plan;
import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.ShellStep;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import dev.pipewright.run.JournalEvent.ApprovalDecided;
import dev.pipewright.run.JournalEvent.Outcome;
import dev.pipewright.run.JournalEvent.RunFinished;
import dev.pipewright.run.JournalEvent.RunStarted;
import dev.pipewright.run.JournalEvent.StageFinished;
import dev.pipewright.run.JournalEvent.StageStarted;
import dev.pipewright.spi.Approval;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.Credentials;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.CredentialsRequest;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunInfo;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import dev.pipewright.spi.StepFailedException;
import dev.pipewright.spi.StepHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a pipeline: the pre-flight checks, the scheduler, the stages' attempts, the hooks,
 * the journal. See {@link LocalRunner} for what a run does; this class is how.
 *
 * <p>Scheduling state is guarded by {@link #lock}: which stages wait, which are ready, how many
 * run. Stages run on a cached pool of daemon threads, at most {@code concurrency} at once: a
 * worker whose stage ends goes on with a ready stage, and new workers are started once the lock
 * is released. Gates are evaluated on another pool, so an approval waiting for a person holds no
 * slot. Every text
 * that leaves the run (output, messages, journal) passes through the run's {@link SecretMasker}.
 */
final class Execution {
    private static final Logger LOG = LoggerFactory.getLogger(Execution.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** How long a cancelled stage's code may go on before its thread is abandoned, beyond the grace period. */
    private static final Duration ABANDON_AFTER = Duration.ofSeconds(2);
    /** The credentials duration asked for when neither the stage nor the run has a deadline. */
    private static final Duration DEFAULT_CREDENTIALS_DURATION = Duration.ofHours(1);

    private final Pipeline pipeline;
    private final LocalRunner.Settings settings;
    private final Facts facts;
    private final Ref ref;
    private final String runId;
    private final Path runDirectory;
    private final @Nullable Journal journal;
    private final @Nullable ResumeState resume;
    private final SecretMasker masker;
    private final Listeners listeners;
    private final Map<String, String> inherited;
    private final Map<String, String> secretValues;
    /** Every stage's node, in the plan's (topological) order. */
    private final List<Node> nodes;
    private final Map<Object, Object> state = new ConcurrentHashMap<>();
    private final Map<String, EnvironmentLock> locks = new LinkedHashMap<>(); // guarded by lock

    private final Object lock = new Object();
    private final ArrayDeque<Node> ready;
    /** Stages given a slot but not yet a thread: see {@link #launch()}. */
    private final Queue<Node> launching = new ConcurrentLinkedQueue<>();
    /** How many stages' steps began: the next {@link Node#startRank}. */
    private final AtomicInteger started = new AtomicInteger();
    private int running;
    private int unfinished;
    private boolean stopping;
    private @Nullable RunStatus verdict;
    private @Nullable String verdictMessage;
    private boolean refused;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger cancelRequests = new AtomicInteger();
    private final Cancellation hookCancellation = Cancellation.create();

    private final ExecutorService workers;
    private final ExecutorService gateThreads;
    private final ScheduledExecutorService timer;
    private final long startNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final @Nullable Instant runDeadline;

    /** A stage's scheduling state and result. Fields are guarded by {@link #lock} unless volatile. */
    private static final class Node {
        final Stage stage;
        /** Where the stage is in the plan. */
        final int index;
        final @Nullable String skipReason;
        /**
         * Whether the stage has gates, and an environment to lock: read under the lock, where a
         * look at the stage itself would cost a cache miss per stage.
         */
        final boolean gated;
        final boolean inEnvironment;
        /** The stages this one needs, in the order of {@link Stage#needs()}; set by {@link NodesByName}. */
        Node[] needs = NONE;
        /** The stages that need this one, in the plan's order; set by {@link #linkDependents}. */
        Node[] dependents = NONE;
        int waitingFor;
        /** How many of {@link #needs} ended without succeeding: only then are they looked at. */
        int unsucceededNeeds;
        /** Whether {@link #needsMet} was called: a stage is scheduled once. */
        boolean scheduled;
        /**
         * When a first attempt's steps began, counted from 0 over the run's stages (only stages
         * whose steps began get their onFailure steps, latest first); -1 before.
         */
        int startRank = -1;
        boolean done;
        StageOutcome outcome = StageOutcome.SKIPPED;
        int attempts;
        int firstAttempt = 1;
        @Nullable Integer exitCode;
        @Nullable String message;
        long firstStartNanos = -1;
        long endNanos = -1;
        @Nullable Future<?> gating;
        volatile @Nullable Attempt current;
        volatile @Nullable Map<String, String> credentials;

        Node(Stage stage, int index, @Nullable String skipReason) {
            this.stage = stage;
            this.index = index;
            this.skipReason = skipReason;
            this.gated = !stage.gates().isEmpty();
            this.inEnvironment = stage.environment().isPresent();
        }
    }

    private static final Node[] NONE = new Node[0];
    private static final AtomicIntegerFieldUpdater<Attempt> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(Attempt.class, "settled");

    /** One attempt of a stage: its cancellation, the thread running it, and who settled it. */
    private static final class Attempt {
        final int number;
        final Cancellation cancellation = Cancellation.create();
        /** 1 once the attempt's end is recorded, by its worker or by {@link #abandon}: see {@link #settle}. */
        volatile int settled;
        final Thread thread;
        volatile boolean timedOut;

        Attempt(int number, Thread thread) {
            this.number = number;
            this.thread = thread;
        }
    }

    private Execution(Pipeline pipeline, LocalRunner.Settings settings, Facts facts, Ref ref, String runId,
            Path runDirectory, @Nullable Journal journal, @Nullable ResumeState resume, SecretMasker masker,
            Map<String, String> secretValues, List<Node> nodes) {
        this.pipeline = pipeline;
        this.nodes = nodes;
        this.ready = new ArrayDeque<>(nodes.size());
        this.settings = settings;
        this.facts = facts;
        this.ref = ref;
        this.runId = runId;
        this.runDirectory = runDirectory;
        this.journal = journal;
        this.resume = resume;
        this.masker = masker;
        this.secretValues = secretValues;
        List<RunListener> all = new ArrayList<>(settings.listeners);
        if (journal != null) {
            all.add(new JunitReport(runDirectory.resolve(JunitReport.FILE_NAME)));
            all.add(new JsonSummary(runDirectory.resolve(JsonSummary.FILE_NAME)));
        }
        this.listeners = new Listeners(all);
        this.inherited = StageEnvironment.inherited(settings.environment, pipeline.inherited());
        this.runDeadline = settings.timeout == null ? null : startedAt.plus(settings.timeout);
        this.workers = Executors.newCachedThreadPool(threads("pipewright-stage-%d"));
        this.gateThreads = Executors.newCachedThreadPool(threads("pipewright-gate-%d"));
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("pipewright-timer-%d"));
    }

    private static java.util.concurrent.ThreadFactory threads(String format) {
        return new ThreadFactoryBuilder().setNameFormat(format).setDaemon(true).build();
    }

    // ---------------------------------------------------------------- preparation

    /**
     * Checks everything that can be checked before a run starts, then creates (or reopens) its
     * journal.
     *
     * @throws PipewrightException listing every problem, if the run cannot start
     */
    static Execution prepare(Pipeline pipeline, LocalRunner.Settings settings, @Nullable String resumeId) {
        ResumeState resume = null;
        if (resumeId != null) {
            Path file = Journal.file(settings.journal, resumeId);
            if (!Files.isRegularFile(file)) {
                throw new PipewrightException("Cannot resume run " + resumeId + ": there is no journal " + file
                        + ". Check the run id (it was printed when the run started) and --journal.");
            }
            resume = ResumeState.of(Journal.read(file));
            resume.requireSamePipeline(pipeline);
        }
        Facts facts = resume != null ? facts(resume.facts()) : readFacts(pipeline, settings);
        if (resume != null) {
            requireSameRef(pipeline, resumeId, facts, settings);
        }
        Ref ref = settings.ref != null ? settings.ref : facts.ref().orElse(null);
        if (ref == null) {
            throw new PipewrightException("Pipeline '" + pipeline.name() + "' cannot run: the branch or tag it runs"
                    + " for is unknown (" + (settings.repositoryFacts == null ? "no repository reader is installed"
                    : facts.equals(Facts.NONE) ? settings.workspace + " is not in a repository"
                    : "the repository has a detached HEAD, no tag at it and no CI branch variable")
                    + "). Pass --branch NAME or --tag NAME (LocalRunner.builder().ref(...)).");
        }
        if (!facts.ref().equals(Optional.of(ref))) {
            facts = facts.toBuilder().ref(ref).build();
        }
        Plan plan = facts.changedPaths().isPresent() ? Plan.of(pipeline, ref, facts.changedPaths().get())
                : Plan.of(pipeline, ref);
        SecretMasker masker = new SecretMasker();
        Map<String, String> secretValues = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        // One pass over the stages both checks them and builds their nodes: the stages of a big
        // pipeline do not fit in a core's cache, and each pass over them costs a miss per object.
        List<Plan.Entry> entries = plan.entries();
        Node[] nodes = new Node[entries.size()];
        NodesByName byName = new NodesByName(nodes);
        for (int i = 0; i < nodes.length; i++) {
            Plan.Entry e = entries.get(i);
            nodes[i] = byName.add(e, i);
            if (!e.runs()) {
                continue;
            }
            Stage s = e.stage();
            checkSteps(settings, s, " > step ", s.steps(), problems);
            checkSteps(settings, s, " > onFailure step ", s.onFailure(), problems);
            for (String name : s.effectiveSecrets()) {
                String value = settings.secrets.containsKey(name) ? settings.secrets.get(name)
                        : settings.environment.get(name);
                if (value == null) {
                    problems.add(path(s) + " > secrets: secret '" + name + "' has no value. Export " + name
                            + " before the run, or give it in the runner's secrets (circleci run: --env-file).");
                } else {
                    secretValues.put(name, value);
                }
            }
            for (Role role : s.roles()) {
                List<CredentialsProvider> supporting = settings.credentials.stream().filter(p -> p.supports(role))
                        .toList();
                if (supporting.isEmpty()) {
                    problems.add(path(s) + " > role '" + role.name() + "': no credentials provider supports it."
                            + " Give its credentials in a file (--credentials FILE, a [" + role.name() + "] section),"
                            + " export AWS_* credentials, or add the aws module's provider.");
                } else if (settings.credentialsPlugins.containsKey(supporting.get(0)) && supporting.size() > 1) {
                    problems.add(path(s) + " > role '" + role.name() + "': plugins '"
                            + settings.credentialsPlugins.get(supporting.get(0)) + "' and '"
                            + settings.credentialsPlugins.get(supporting.get(1)) + "' both give its credentials."
                            + " Register the provider you want explicitly"
                            + " (LocalRunner.builder().addCredentialsProvider(...)).");
                }
            }
        }
        checkSteps(settings, null, " > onFailure step ", pipeline.onFailure(), problems);
        checkSteps(settings, null, " > always step ", pipeline.always(), problems);
        if (!problems.isEmpty()) {
            StringBuilder m = new StringBuilder("Pipeline '" + pipeline.name() + "' cannot run for " + ref + " ("
                    + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "):");
            for (int i = 0; i < problems.size(); i++) {
                m.append("\n ").append(i + 1).append(". ").append(problems.get(i));
            }
            throw new PipewrightException(m.toString());
        }
        // Each value once, named by its first variable: a value too short to mask is warned about once.
        Map<String, String> toMask = new LinkedHashMap<>();
        secretValues.forEach((name, value) -> toMask.putIfAbsent(value, "secret " + name));
        for (String name : pipeline.inherited()) {
            String value = settings.environment.get(name);
            if (value != null && StageEnvironment.isCredentialLike(name)) {
                toMask.putIfAbsent(value, "inherited variable " + name);
            }
        }
        settings.secrets.forEach((name, value) -> toMask.putIfAbsent(value, "secret " + name));
        toMask.forEach((value, what) -> register(masker, value, what));

        Journal journal = null;
        String runId;
        Path runDirectory;
        if (settings.journal != null) {
            journal = resume != null ? Journal.resume(settings.journal, resumeId, masker::mask)
                    : Journal.create(settings.journal, masker::mask);
            runId = journal.runId();
            runDirectory = journal.file().getParent();
        } else {
            runId = RUN_ID_TIME.format(Instant.now()) + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
            try {
                runDirectory = Files.createTempDirectory("pipewright-run-");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a folder for the run: " + e.getMessage(), e);
            }
        }
        return new Execution(pipeline, settings, facts, ref, runId, runDirectory, journal, resume, masker,
                secretValues, linkDependents(nodes));
    }

    /**
     * Links each node to the nodes that need it, in the plan's order, and returns them all. Every
     * array is allocated once, at its size: pipelines may have thousands of stages.
     */
    private static List<Node> linkDependents(Node[] all) {
        int[] dependents = new int[all.length];
        for (Node n : all) {
            for (Node other : n.needs) {
                dependents[other.index]++;
            }
        }
        for (Node n : all) {
            n.dependents = dependents[n.index] == 0 ? NONE : new Node[dependents[n.index]];
            dependents[n.index] = 0;
        }
        for (Node n : all) {
            for (Node other : n.needs) {
                other.dependents[dependents[other.index]++] = n;
            }
        }
        return List.of(all);
    }

    /**
     * The plan's stages as nodes, each linked to the stages it needs, added in the plan's order:
     * a topological order, so a stage's needs were added before it.
     *
     * <p>Nodes are found by their stages' names. {@code Pipeline.build()} checked that every need
     * names a stage, so while no two names have the same hash code, a need's hash code alone says
     * which stage it names, and its characters are never compared with the name's: those two cache
     * misses a need made resolving a 10,000-stage pipeline's needs take longer than the rest of
     * preparing its run. Once two names share a hash code, a map takes over.
     */
    private static final class NodesByName {
        private final Node[] all;
        private final int mask;
        private final int[] hashes;
        /** The node whose name has {@code hashes[i]}, or null for a free slot. */
        private final @Nullable Node[] slots;
        private @Nullable Map<String, Node> map;

        /** An index to fill {@code all} with, in order, by {@link #add}. */
        NodesByName(Node[] all) {
            this.all = all;
            int size = Integer.highestOneBit(Math.max(all.length, 1)) * 4; // at most half full: probes end soon
            mask = size - 1;
            hashes = new int[size];
            slots = new Node[size];
        }

        /** Creates the node of {@code e}, the plan's entry {@code index}, with its needs. */
        Node add(Plan.Entry e, int index) {
            Node n = new Node(e.stage(), index, e.reason().orElse(null));
            List<String> needs = n.stage.needs();
            n.needs = needs.isEmpty() ? NONE : new Node[needs.size()];
            for (int k = 0; k < n.needs.length; k++) {
                n.needs[k] = get(needs.get(k));
            }
            n.waitingFor = n.needs.length;
            put(n);
            all[index] = n;
            return n;
        }

        private void put(Node n) {
            String name = n.stage.name();
            if (map != null) {
                map.put(name, n);
                return;
            }
            int h = name.hashCode();
            int i = slot(h);
            while (slots[i] != null && hashes[i] != h) {
                i = (i + 1) & mask;
            }
            if (slots[i] != null) { // two names share a hash code
                Map<String, Node> byName = Maps.newHashMapWithExpectedSize(all.length);
                for (int k = 0; k < n.index; k++) {
                    byName.put(all[k].stage.name(), all[k]);
                }
                byName.put(name, n);
                map = byName;
                return;
            }
            hashes[i] = h;
            slots[i] = n;
        }

        private int slot(int hash) {
            return (hash ^ (hash >>> 16)) & mask;
        }

        private Node get(String name) {
            if (map != null) {
                return checkNotNull(map.get(name), name);
            }
            int h = name.hashCode();
            for (int i = slot(h); slots[i] != null; i = (i + 1) & mask) {
                if (hashes[i] == h) {
                    return slots[i];
                }
            }
            throw new IllegalStateException("stage '" + name + "' is needed before it is planned: the plan is not in"
                    + " topological order");
        }
    }

    private static void register(SecretMasker masker, String value, String what) {
        try {
            masker.register(value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Not masking {}: {}", what, e.getMessage());
        }
    }

    /**
     * Where a problem of {@code stage} is, or of the pipeline's hooks for null. Built only for a
     * problem: pipelines may have thousands of stages.
     */
    private static String path(@Nullable Stage stage) {
        return stage == null ? "pipeline" : "stage '" + stage.name() + "'";
    }

    /** Checks that each step has a handler; {@code kind} names the steps in a problem. */
    private static void checkSteps(LocalRunner.Settings settings, @Nullable Stage stage, String kind,
            List<Step> steps, List<String> problems) {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            StepHandler handler = settings.handlers.get(step.type());
            if (handler == null) {
                String where = path(stage) + kind + (i + 1) + " (" + step.name() + ")";
                problems.add(where + ": no handler runs steps of type '" + step.type() + "' on this machine."
                        + " Put a plugin that runs them on the classpath (a dev.pipewright.spi.Plugin service, as"
                        + " the aws and git modules are), add it in code (LocalRunner.builder().addPlugin(...)), or"
                        + " register a handler (addStepHandler).");
            } else if (handler instanceof BuiltInHandlers.Shell && !(step instanceof ShellStep)
                    || handler instanceof BuiltInHandlers.Java && !(step instanceof JavaStep)) {
                String where = path(stage) + kind + (i + 1) + " (" + step.name() + ")";
                problems.add(where + ": a " + step.getClass().getName() + " claims the built-in type '" + step.type()
                        + "'. Give the step a type id of its own.");
            }
        }
    }

    /**
     * The facts given, else read from the repository: changed paths since the pipeline's last
     * successful run for the same branch or tag when the journal has one, else since the default
     * branch.
     */
    private static Facts readFacts(Pipeline pipeline, LocalRunner.Settings settings) {
        if (settings.facts != null) {
            return settings.facts;
        }
        if (settings.repositoryFacts == null) {
            return Facts.NONE;
        }
        try {
            Facts read = settings.repositoryFacts.read(settings.workspace).orElse(Facts.NONE);
            Optional<Ref> ref = settings.ref != null ? Optional.of(settings.ref) : read.ref();
            if (settings.journal == null || ref.isEmpty()) {
                return read;
            }
            Optional<String> since = LastSuccess.commit(settings.journal, pipeline.name(), ref.get());
            return since.isEmpty() ? read
                    : settings.repositoryFacts.read(settings.workspace, since.get()).orElse(read);
        } catch (Exception e) {
            throw new PipewrightException("Could not read the repository at " + settings.workspace + ": "
                    + e.getMessage() + ". Pass --branch or --tag, or fix the repository.", e);
        }
    }

    /**
     * Refuses to resume a run for another branch or tag than it started with: its plan, its
     * approvals and what its stages did were for that one.
     */
    private static void requireSameRef(Pipeline pipeline, @Nullable String resumeId, Facts journaled,
            LocalRunner.Settings settings) {
        Optional<Ref> given = settings.ref != null ? Optional.of(settings.ref)
                : settings.facts != null ? settings.facts.ref() : Optional.empty();
        Optional<Ref> started = journaled.ref();
        if (given.isPresent() && started.isPresent() && !given.equals(started)) {
            throw new PipewrightException("Cannot resume run " + resumeId + " of pipeline '" + pipeline.name()
                    + "': it started for " + started.get() + ", not " + given.get() + ". Resume it for "
                    + started.get() + " (give that, or no branch or tag), or start a new run for " + given.get()
                    + " without --resume.");
        }
    }

    private static Facts facts(JournalEvent.Facts journaled) {
        Facts.Builder b = Facts.builder();
        if (journaled.tag() != null) {
            b.ref(Ref.tag(journaled.tag()));
        } else if (journaled.branch() != null) {
            b.ref(Ref.branch(journaled.branch()));
        }
        if (journaled.commit() != null) {
            b.commit(journaled.commit());
        }
        if (journaled.changedPaths() != null) {
            b.changedPaths(journaled.changedPaths());
        }
        return b.build();
    }

    // ---------------------------------------------------------------- accessors for StageContext

    Pipeline pipeline() {
        return pipeline;
    }

    Ref ref() {
        return ref;
    }

    Facts facts() {
        return facts;
    }

    String runId() {
        return runId;
    }

    Path runDirectory() {
        return runDirectory;
    }

    Path workspace() {
        return settings.workspace;
    }

    Duration gracePeriod() {
        return settings.gracePeriod;
    }

    Map<Object, Object> state() {
        return state;
    }

    void output(String stage, String line) {
        listeners.stageOutput(stage, masker.mask(line));
    }

    void attach(String stage, Attachment attachment) {
        listeners.attached(stage, attachment);
    }

    // ---------------------------------------------------------------- the run

    /** Cancels the run; a second call also stops the hooks and kills without grace. */
    void cancel() {
        int n = cancelRequests.incrementAndGet();
        if (n == 1) {
            stop(RunStatus.CANCELLED, "the run was cancelled", false);
        } else {
            hookCancellation.cancelNow();
            synchronized (lock) {
                for (Node node : nodes) {
                    Attempt a = node.current;
                    if (a != null) {
                        a.cancellation.cancelNow();
                    }
                }
            }
        }
    }

    RunResult run() {
        try {
            listeners.runStarted(new RunInfo(runId, pipeline, facts,
                    journal == null ? Optional.empty() : Optional.of(runDirectory),
                    settings.concurrency, resume != null));
            if (journal != null && resume == null) {
                journal.append(new RunStarted(runId, pipeline.name(), PipelineDigest.of(pipeline),
                        journalFacts(), startedAt));
            }
            LOG.info("Run {} of pipeline '{}' for {} started", runId, pipeline.name(), ref);
            ScheduledFuture<?> deadline = runDeadline == null ? null : timer.schedule(this::runTimedOut,
                    settings.timeout.toNanos(), TimeUnit.NANOSECONDS);
            start();
            awaitStages();
            if (deadline != null) {
                deadline.cancel(false);
            }
            List<StageResult> hooks = runHooks();
            return finish(hooks);
        } finally {
            releaseLocks();
            workers.shutdownNow();
            gateThreads.shutdownNow();
            timer.shutdownNow();
            if (journal != null) {
                journal.close();
            } else {
                deleteTemporaryRunDirectory();
            }
        }
    }

    /** A run without a journal keeps its files in a temporary folder that nobody can find afterwards. */
    private void deleteTemporaryRunDirectory() {
        try {
            try {
                Files.deleteIfExists(runDirectory); // mostly empty: one rmdir, where a recursive delete takes ~0.3 ms
            } catch (DirectoryNotEmptyException e) {
                MoreFiles.deleteRecursively(runDirectory, RecursiveDeleteOption.ALLOW_INSECURE);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete the run's temporary folder {}: {}", runDirectory, e.toString());
        }
    }

    private JournalEvent.Facts journalFacts() {
        return new JournalEvent.Facts(ref.kind() == Ref.Kind.BRANCH ? ref.name() : null,
                ref.kind() == Ref.Kind.TAG ? ref.name() : null, facts.commit().orElse(null),
                facts.changedPaths().map(List::copyOf).orElse(null));
    }

    private void start() {
        synchronized (lock) {
            unfinished = nodes.size();
            if (unfinished == 0) {
                finished.countDown();
                return;
            }
            Set<String> succeeded = resume != null ? resume.succeeded() : Set.of();
            for (Node n : nodes) {
                // Settled below, so never queued: completing a need first would otherwise schedule
                // a stage that succeeded before the resume, or that the plan skips, to run again.
                n.scheduled = n.skipReason != null || succeeded.contains(n.stage.name());
            }
            for (Node n : nodes) {
                if (n.done) {
                    continue;
                }
                if (n.skipReason != null) {
                    complete(n, StageOutcome.SKIPPED, n.skipReason);
                } else if (succeeded.contains(n.stage.name())) {
                    StageFinished f = resume.lastFinished().get(n.stage.name());
                    n.attempts = f.attempt();
                    n.exitCode = f.exitCode();
                    complete(n, StageOutcome.SUCCEEDED, null);
                }
            }
            for (Node n : nodes) {
                if (!n.done && n.waitingFor == 0) {
                    needsMet(n);
                }
            }
            dispatch();
        }
        launch();
    }

    private void awaitStages() {
        boolean interrupted = false;
        while (true) {
            try {
                finished.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                cancel();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called with the lock held when every stage {@code n} needs has ended. */
    private void needsMet(Node n) {
        if (n.scheduled) {
            return;
        }
        n.scheduled = true;
        for (int i = 0; i < n.needs.length && n.unsucceededNeeds > 0; i++) {
            Node other = n.needs[i];
            if (other.outcome != StageOutcome.SUCCEEDED) {
                boolean cancelled = stopping && other.outcome != StageOutcome.SKIPPED
                        && other.outcome != StageOutcome.REFUSED;
                complete(n, cancelled ? StageOutcome.CANCELLED : StageOutcome.SKIPPED, "it needs '"
                        + other.stage.name() + "', which " + describe(other.outcome));
                return;
            }
        }
        if (stopping) {
            complete(n, StageOutcome.CANCELLED, "not started: " + verdictMessage);
            return;
        }
        if (resume != null) {
            Integer attempts = resume.attempts().get(n.stage.name());
            if (attempts != null) {
                n.firstAttempt = attempts + 1;
                n.attempts = attempts;
            }
        }
        if (!n.gated) {
            enqueue(n);
        } else {
            n.gating = gateThreads.submit(() -> {
                evaluateGates(n);
                launch();
            });
        }
    }

    private static String describe(StageOutcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case TIMED_OUT -> "timed out";
            case CANCELLED -> "was cancelled";
            case SKIPPED -> "was skipped";
            case REFUSED -> "was not approved";
            case ROLLED_BACK -> "rolled back";
        };
    }

    private void enqueue(Node n) {
        ready.add(n);
        if (!listeners.isEmpty()) {
            listeners.stageQueued(n.stage.name());
        }
    }

    /**
     * Gives ready stages a slot while slots are free; called with the lock held. The caller then
     * hands them to worker threads with {@link #launch()}, once it has released the lock.
     */
    private void dispatch() {
        while (running < settings.concurrency && !ready.isEmpty()) {
            startWorker(ready.poll());
        }
    }

    /**
     * As {@link #dispatch()}, from a worker whose stage has just ended and given up its slot: one
     * ready stage is left for that worker to take with {@link #takeReady}. Handing each stage to
     * another thread would cost a thread wake-up per stage; a worker going on with the next ready
     * stage costs none.
     */
    private void dispatchLeavingOne() {
        while (running + 1 < settings.concurrency && ready.size() > 1) {
            startWorker(ready.poll());
        }
    }

    private void startWorker(Node n) {
        running++;
        launching.add(n);
    }

    /**
     * Hands the stages {@link #dispatch} gave a slot to worker threads; called without the lock.
     * Starting a thread takes tens of microseconds, far more on a busy machine: started under the
     * lock, the first of fifty stages ready at once waited for the other forty-nine threads.
     */
    private void launch() {
        for (Node n = launching.poll(); n != null; n = launching.poll()) {
            Node first = n;
            workers.execute(() -> work(first));
        }
    }

    /** A worker's loop: runs {@code first}, then ready stages while there are free slots. */
    private void work(Node first) {
        Node n = first;
        while (n != null) {
            Node after = execute(n);
            launch();
            if (after == null) {
                long now = System.nanoTime();
                synchronized (lock) {
                    after = takeReady(now);
                }
            }
            n = after;
        }
    }

    /**
     * A ready stage for the calling worker, its slot taken; null if none is ready or no slot is
     * free. Unless it has an environment to lock first, its first attempt is begun on the calling
     * thread too ({@link Node#current}), so that a worker going on from stage to stage takes the
     * lock once per stage, not twice. Called with the lock held; {@code nanos} is the time, read
     * before taking it.
     */
    private @Nullable Node takeReady(long nanos) {
        // An interrupt meant for the attempt that ended (cancelled as it ended) must not reach the
        // next one. None can come later: interrupts go to a stage's current attempt, and come under
        // the lock, which whoever ended this thread's attempt held to clear it. One meant for the
        // attempt begun below comes after this.
        Thread.interrupted();
        if (running < settings.concurrency && !ready.isEmpty()) {
            running++;
            Node n = ready.poll();
            if (!n.inEnvironment) {
                beginLocked(n, n.firstAttempt, nanos);
            }
            return n;
        }
        return null;
    }

    /**
     * Begins attempt {@code number} of {@code n} on the calling thread, which runs it; null if the
     * run is stopping. Called with the lock held, so a stop either sees the attempt and cancels
     * it, or comes first and no attempt begins. {@code nanos} is the time, read before taking
     * the lock: reading the clock costs as much as the rest of this.
     */
    private @Nullable Attempt beginLocked(Node n, int number, long nanos) {
        if (stopping) {
            return null;
        }
        if (n.firstStartNanos < 0) {
            n.firstStartNanos = nanos;
        }
        Attempt a = new Attempt(number, Thread.currentThread());
        n.current = a;
        n.attempts++;
        return a;
    }

    /**
     * Records {@code n}'s end, called with the lock held: its dependents may become ready, and
     * the run ends with its last stage.
     */
    private void complete(Node n, StageOutcome outcome, @Nullable String message) {
        complete(n, outcome, message, System.nanoTime());
    }

    /** {@link #complete(Node, StageOutcome, String)}, at {@code endNanos}, read before taking the lock. */
    private void complete(Node n, StageOutcome outcome, @Nullable String message, long endNanos) {
        if (n.done) {
            return;
        }
        n.done = true;
        n.outcome = outcome;
        n.message = message == null ? null : masker.mask(message);
        n.endNanos = endNanos;
        if (!listeners.isEmpty()) {
            listeners.stageFinished(result(n));
        }
        for (Node d : n.dependents) {
            if (outcome != StageOutcome.SUCCEEDED) {
                d.unsucceededNeeds++;
            }
            if (--d.waitingFor == 0 && !d.done) {
                needsMet(d);
            }
        }
        if (--unfinished == 0) {
            finished.countDown();
        }
    }

    private StageResult result(Node n) {
        Duration duration = n.firstStartNanos < 0 ? Duration.ZERO : Duration.ofNanos(n.endNanos - n.firstStartNanos);
        return new StageResult(n.stage.name(), n.outcome, n.attempts,
                n.exitCode == null ? OptionalInt.empty() : OptionalInt.of(n.exitCode), duration,
                Optional.ofNullable(n.message));
    }

    /**
     * Stops the run: nothing more starts, running stages are cancelled, waiting ones end as
     * cancelled. The first verdict stands.
     */
    private void stop(RunStatus status, String message, boolean timedOut) {
        synchronized (lock) {
            stopLocked(status, message, timedOut);
        }
    }

    /** {@link #stop}, with the lock held. */
    private void stopLocked(RunStatus status, String message, boolean timedOut) {
        if (verdict == null) {
            verdict = status;
            verdictMessage = masker.mask(message);
        }
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("Run {} stopping: {}", runId, verdictMessage);
        while (!ready.isEmpty()) {
            complete(ready.poll(), StageOutcome.CANCELLED, "not started: " + verdictMessage);
        }
        for (Node n : nodes) {
            Future<?> gating = n.gating;
            if (gating != null && !n.done) {
                gating.cancel(true);
                complete(n, StageOutcome.CANCELLED, "cancelled while waiting at its gates: " + verdictMessage);
            }
            Attempt a = n.current;
            if (a != null && !n.done) {
                a.timedOut |= timedOut;
                cancelAttempt(n, a);
            }
        }
    }

    private void runTimedOut() {
        stop(RunStatus.FAILED, "the run passed its timeout of " + settings.timeout, true);
    }

    private void cancelAttempt(Node n, Attempt a) {
        a.cancellation.cancel();
        a.thread.interrupt();
        long abandonAfter = settings.gracePeriod.plus(ABANDON_AFTER).toNanos();
        timer.schedule(() -> abandon(n, a), abandonAfter, TimeUnit.NANOSECONDS);
    }

    /** Gives up on an attempt whose code did not stop after cancellation: its thread is left behind. */
    private void abandon(Node n, Attempt a) {
        if (settle(a)) {
            LOG.error("Stage '{}' did not stop within {} of being cancelled; its thread {} is abandoned",
                    n.stage.name(), settings.gracePeriod.plus(ABANDON_AFTER), a.thread.getName());
            String why = "did not stop when cancelled; its thread was abandoned";
            journalFinished(n, a, a.timedOut ? Outcome.TIMED_OUT : Outcome.CANCELLED, null, why);
            synchronized (lock) {
                n.current = null;
                running--;
                complete(n, a.timedOut ? StageOutcome.TIMED_OUT : StageOutcome.CANCELLED, why);
                dispatch();
            }
            launch();
        }
    }

    // ---------------------------------------------------------------- gates

    private void evaluateGates(Node n) {
        String failure = null;
        StageOutcome outcome = StageOutcome.SUCCEEDED;
        try {
            for (Gate gate : n.stage.gates()) {
                if (gate.isManualApproval()) {
                    Approval approval = approve(n, gate);
                    if (!approval.approved()) {
                        outcome = StageOutcome.REFUSED;
                        failure = "approval '" + gate.name() + "' refused by " + approval.who()
                                + approval.why().map(w -> ": " + w).orElse("");
                        break;
                    }
                } else {
                    Cancellation c = Cancellation.create();
                    StageContext context = new StageContext(this, n.stage.name(), c, stageDeadline(n),
                            () -> environment(n));
                    if (!n.stage.roles().isEmpty()) {
                        n.credentials = credentials(n);
                    }
                    String failed = check(gate, context);
                    if (failed != null) {
                        outcome = StageOutcome.FAILED;
                        failure = "gate '" + gate.name() + "' failed: " + failed;
                        break;
                    }
                }
            }
        } catch (InterruptedException | CancellationException e) {
            outcome = StageOutcome.CANCELLED;
            failure = "cancelled while waiting at its gates";
        } catch (RuntimeException e) {
            outcome = StageOutcome.FAILED;
            failure = "its gates could not be evaluated: " + masker.mask(e);
        }
        synchronized (lock) {
            n.gating = null;
            if (n.done) {
                return;
            }
            if (outcome == StageOutcome.SUCCEEDED) {
                if (stopping) {
                    complete(n, StageOutcome.CANCELLED, "not started: " + verdictMessage);
                } else {
                    enqueue(n);
                    dispatch();
                }
                return;
            }
            if (outcome == StageOutcome.REFUSED) {
                refused = true;
            } else if (outcome == StageOutcome.FAILED) {
                stopLocked(RunStatus.FAILED, "stage '" + n.stage.name() + "': " + failure, false);
            }
            complete(n, outcome, failure);
        }
    }

    /** Evaluates a check gate; null if it passed, else why not. Fails closed: an error is a failure. */
    private @Nullable String check(Gate gate, StageContext context) throws InterruptedException {
        CheckResult result;
        try {
            result = gate.check().orElseThrow().evaluate(context);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return "the check could not decide (" + masker.mask(e) + ")";
        }
        if (result == null) {
            return "the check returned no result";
        }
        LOG.debug("Stage '{}': gate '{}' {}: {}", context.stage(), gate.name(), result.passed() ? "passed" : "failed",
                result.reason());
        return result.passed() ? null : masker.mask(result.reason());
    }

    private Approval approve(Node n, Gate gate) throws InterruptedException {
        if (resume != null) {
            for (ApprovalDecided d : resume.approvals()) {
                if (d.stage().equals(n.stage.name()) && d.gate().equals(gate.name()) && d.approved()) {
                    LOG.info("Stage '{}': approval '{}' was given by {} before the run was interrupted",
                            n.stage.name(), gate.name(), d.who());
                    return new Approval(true, d.who(), Optional.ofNullable(d.why()));
                }
            }
        }
        ApprovalRequest request = new ApprovalRequest(runId, pipeline.name(), n.stage.name(),
                n.stage.environment().map(e -> e.name()), gate, facts);
        listeners.approvalRequested(request);
        Approval approval;
        Future<Approval> asked = gateThreads.submit(() -> settings.approver.decide(request));
        try {
            approval = gate.timeout().isPresent()
                    ? asked.get(gate.timeout().get().toNanos(), TimeUnit.NANOSECONDS)
                    : asked.get();
        } catch (TimeoutException e) {
            asked.cancel(true);
            approval = Approval.refuse("timeout", "no decision within " + gate.timeout().get());
        } catch (java.util.concurrent.ExecutionException e) {
            approval = Approval.refuse("error", "the approver failed: " + masker.mask(e.getCause()));
        } catch (InterruptedException e) {
            asked.cancel(true);
            throw e;
        }
        if (journal != null) {
            journal.append(new ApprovalDecided(n.stage.name(), gate.name(), approval.approved(), approval.who(),
                    approval.why().orElse(null), Instant.now()));
        }
        listeners.approvalDecided(request, approval);
        return approval;
    }

    // ---------------------------------------------------------------- stages

    private @Nullable Instant stageDeadline(Node n) {
        Instant deadline = runDeadline;
        if (n.stage.timeout().isPresent()) {
            long started = n.firstStartNanos < 0 ? System.nanoTime() : n.firstStartNanos;
            Instant stageEnd = startedAt.plusNanos(started - startNanos).plus(n.stage.timeout().get());
            deadline = deadline == null || stageEnd.isBefore(deadline) ? stageEnd : deadline;
        }
        return deadline;
    }

    /**
     * Runs a stage's attempts on a worker thread, then records how it ended. Returns the ready
     * stage the worker goes on with, its slot taken, if there is one it could take at once.
     */
    private @Nullable Node execute(Node n) {
        String stage = n.stage.name();
        StageOutcome outcome;
        String message = null;
        int attemptNumber = n.firstAttempt - 1;
        Attempt begun = n.current; // see takeReady
        if (n.inEnvironment) {
            // The stage starts before it takes its environment's lock, which only a run going on takes.
            synchronized (lock) {
                if (stopping) {
                    return finishStage(n, null, StageOutcome.CANCELLED, null, "not started: " + verdictMessage);
                }
                n.firstStartNanos = System.nanoTime();
            }
            String blocked = takeEnvironmentLock(n);
            if (blocked != null) {
                return finishStage(n, null, StageOutcome.FAILED, null, blocked);
            }
        }
        attempts: while (true) {
            attemptNumber++;
            Attempt a;
            if (begun != null) {
                a = begun;
                begun = null;
            } else {
                long now = System.nanoTime();
                synchronized (lock) {
                    a = beginLocked(n, attemptNumber, now);
                    if (a == null) {
                        return finishStage(n, null, StageOutcome.CANCELLED, null, "not started: " + verdictMessage);
                    }
                }
            }
            Instant deadline = stageDeadline(n);
            ScheduledFuture<?> timeout = null;
            if (deadline != null) {
                long nanos = Duration.between(Instant.now(), deadline).toNanos();
                timeout = timer.schedule(() -> {
                    synchronized (lock) {
                        if (n.current != a) {
                            return; // it ended meanwhile, and its thread may be running another stage
                        }
                        a.timedOut = true;
                        cancelAttempt(n, a);
                    }
                }, Math.max(0, nanos), TimeUnit.NANOSECONDS);
            }
            AttemptEnd end = attempt(n, a, deadline);
            if (!listeners.isEmpty()) {
                attachReports(n); // merging the stage's CircleCI options costs more than a no-op stage
            }
            if (timeout != null) {
                timeout.cancel(false);
            }
            Thread.interrupted(); // a cancellation may have interrupted this thread; it goes back to the pool
            outcome = end.outcome;
            message = end.message;
            if (outcome == StageOutcome.FAILED && n.stage.retry().isPresent()
                    && attemptNumber - n.firstAttempt + 1 < n.stage.retry().get().attempts()) {
                Duration wait = n.stage.retry().get().backoff()
                        .multipliedBy(1L << (attemptNumber - n.firstAttempt));
                Instant next = Instant.now().plus(wait);
                Instant limit = stageDeadline(n);
                if (limit != null && !next.isBefore(limit)) {
                    message = message + "; not retried: the next try would start after the deadline (" + limit + ")";
                } else if (settle(a)) {
                    journalFinished(n, a, Outcome.FAILED, end.exitCode, message);
                    listeners.stageRetrying(stage, attemptNumber + 1, wait, masker.mask(message));
                    if (sleep(a, wait)) {
                        continue attempts;
                    }
                    synchronized (lock) {
                        n.current = null;
                        running--;
                        complete(n, StageOutcome.CANCELLED, "cancelled while waiting to retry: " + verdictMessage);
                        dispatch();
                    }
                    return null;
                } else {
                    return null; // abandoned meanwhile
                }
            }
            return finishStage(n, a, outcome, end.exitCode, message);
        }
    }

    /** Waits {@code wait} before a retry; false if the run was cancelled meanwhile. */
    private boolean sleep(Attempt a, Duration wait) {
        CountDownLatch woken = new CountDownLatch(1);
        try (Cancellation.Registration r = a.cancellation.onChange(woken::countDown)) {
            return !woken.await(wait.toNanos(), TimeUnit.NANOSECONDS) && !stoppingNow();
        } catch (InterruptedException e) {
            return false;
        }
    }

    private boolean stoppingNow() {
        synchronized (lock) {
            return stopping;
        }
    }

    private record AttemptEnd(StageOutcome outcome, @Nullable Integer exitCode, @Nullable String message) { }

    private static final AttemptEnd SUCCEEDED = new AttemptEnd(StageOutcome.SUCCEEDED, 0, null);

    /** One attempt: credentials, the journal's start line, every step. */
    private AttemptEnd attempt(Node n, Attempt a, @Nullable Instant deadline) {
        String stage = n.stage.name();
        try {
            if (!n.stage.roles().isEmpty()) {
                n.credentials = credentials(n);
            }
        } catch (RuntimeException e) {
            return new AttemptEnd(StageOutcome.FAILED, null, masker.mask(e));
        }
        if (journal != null) {
            journal.append(new StageStarted(stage, a.number, Instant.now()));
        }
        listeners.stageStarted(stage, a.number);
        if (n.startRank < 0) { // only the stage's own worker sets it: no lock needed
            n.startRank = started.getAndIncrement();
        }
        StageContext context = new StageContext(this, stage, a.cancellation, deadline, () -> environment(n));
        List<Step> steps = n.stage.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (a.cancellation.isCancelled()) {
                return cancelledEnd(a, null, which(i, step) + " did not start");
            }
            try {
                settings.handlers.get(step.type()).run(step, context);
            } catch (StageContext.StepTimedOutException e) {
                return new AttemptEnd(StageOutcome.TIMED_OUT, e.exitCode() < 0 ? null : e.exitCode(),
                        which(i, step) + ": " + e.getMessage());
            } catch (StepFailedException e) {
                if (a.cancellation.isCancelled()) {
                    return cancelledEnd(a, e.exitCode().isPresent() ? e.exitCode().getAsInt() : null, which(i, step));
                }
                return new AttemptEnd(e.rolledBack() ? StageOutcome.ROLLED_BACK : StageOutcome.FAILED,
                        e.exitCode().isPresent() ? e.exitCode().getAsInt() : null, which(i, step) + " failed: "
                        + masker.mask(e.getMessage()));
            } catch (InterruptedException | CancellationException e) {
                return cancelledEnd(a, null, which(i, step));
            } catch (Exception e) {
                if (a.cancellation.isCancelled()) {
                    return cancelledEnd(a, null, which(i, step));
                }
                LOG.debug("Stage '{}': {} threw", stage, which(i, step), e);
                return new AttemptEnd(StageOutcome.FAILED, null, which(i, step) + " failed: " + masker.mask(e));
            }
        }
        if (a.cancellation.isCancelled()) {
            return cancelledEnd(a, 0, "the stage");
        }
        return SUCCEEDED;
    }

    /**
     * Attaches the test results and artifacts the stage's CircleCI options store, when they exist,
     * so a local run reports what CI would.
     */
    private void attachReports(Node n) {
        dev.pipewright.CircleCiOptions options = pipeline.circleciFor(n.stage);
        for (String path : options.storeTestResults()) {
            Path p = settings.workspace.resolve(path);
            if (Files.exists(p)) {
                listeners.attached(n.stage.name(), Attachment.testResults(p));
            }
        }
        for (String path : options.storeArtifacts()) {
            Path p = settings.workspace.resolve(path);
            if (Files.exists(p)) {
                listeners.attached(n.stage.name(), Attachment.artifact(p));
            }
        }
    }

    /** How a message names step {@code index} (from 0): built only for a message, never per step run. */
    private static String which(int index, Step step) {
        return "step " + (index + 1) + " '" + step.name() + "'";
    }

    private AttemptEnd cancelledEnd(Attempt a, @Nullable Integer exitCode, String which) {
        if (a.timedOut) {
            return new AttemptEnd(StageOutcome.TIMED_OUT, exitCode, which + " was stopped: the stage ran past its"
                    + " deadline");
        }
        return new AttemptEnd(StageOutcome.CANCELLED, exitCode, which + " was stopped: " + verdictMessage());
    }

    private String verdictMessage() {
        synchronized (lock) {
            return verdictMessage == null ? "the run was cancelled" : verdictMessage;
        }
    }

    /** Whether the caller is the one to record how attempt {@code a} ended: true once. */
    private static boolean settle(Attempt a) {
        return SETTLED.compareAndSet(a, 0, 1);
    }

    /** Records a stage's end; returns the ready stage its worker goes on with, as {@link #execute} does. */
    private @Nullable Node finishStage(Node n, @Nullable Attempt a, StageOutcome outcome, @Nullable Integer exitCode,
            @Nullable String message) {
        if (a != null && !settle(a)) {
            return null; // abandoned: already recorded
        }
        if (a != null && journal != null) {
            journalFinished(n, a, Outcome.valueOf(outcome.name()), exitCode, message);
        }
        long now = System.nanoTime(); // the stage's end, and the start of the next one its worker takes
        synchronized (lock) {
            n.current = null;
            n.exitCode = exitCode;
            running--;
            if (outcome != StageOutcome.SUCCEEDED && outcome != StageOutcome.CANCELLED) {
                // the verdict comes before the stage's end, which may be the run's last
                stopLocked(RunStatus.FAILED, "stage '" + n.stage.name() + "' " + describe(outcome)
                        + (message == null ? "" : ": " + message), false);
            }
            complete(n, outcome, message, now);
            dispatchLeavingOne();
            return takeReady(now);
        }
    }

    private void journalFinished(Node n, Attempt a, Outcome outcome, @Nullable Integer exitCode,
            @Nullable String message) {
        if (journal != null) {
            long millis = n.firstStartNanos < 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - n.firstStartNanos);
            journal.append(new StageFinished(n.stage.name(), a.number, outcome, exitCode, millis, Instant.now(),
                    message));
        }
    }

    private @Nullable String takeEnvironmentLock(Node n) {
        if (n.stage.environment().isEmpty()) {
            return null;
        }
        String env = n.stage.environment().get().name();
        synchronized (locks) {
            if (locks.containsKey(env)) {
                return null;
            }
            try {
                locks.put(env, EnvironmentLock.acquire(settings.locks, pipeline.name(), env, runId));
                return null;
            } catch (PipewrightException | UncheckedIOException e) {
                return e.getMessage();
            }
        }
    }

    private void releaseLocks() {
        synchronized (locks) {
            locks.values().forEach(EnvironmentLock::close);
            locks.clear();
        }
    }

    // ---------------------------------------------------------------- environment and credentials

    /** The variables a stage's steps see; see {@link LocalRunner}. */
    private Map<String, String> environment(Node n) {
        Map<String, String> env = new LinkedHashMap<>(inherited);
        env.put("PIPEWRIGHT_PIPELINE", pipeline.name());
        env.put("PIPEWRIGHT_STAGE", n.stage.name());
        env.put("PIPEWRIGHT_RUN_ID", runId);
        env.put(ref.kind() == Ref.Kind.BRANCH ? "PIPEWRIGHT_BRANCH" : "PIPEWRIGHT_TAG", ref.name());
        facts.commit().ifPresent(c -> env.put("PIPEWRIGHT_COMMIT", c));
        n.stage.environment().ifPresent(e -> env.put("PIPEWRIGHT_ENVIRONMENT", e.name()));
        env.putAll(n.stage.effectiveVariables());
        for (String secret : n.stage.effectiveSecrets()) {
            env.put(secret, secretValues.get(secret));
        }
        Map<String, String> credentials = n.credentials;
        if (credentials == null || credentials.keySet().stream().noneMatch(k -> k.startsWith("AWS_"))) {
            StageEnvironment.AWS_BLINDERS.forEach(env::putIfAbsent);
        }
        if (credentials != null) {
            env.putAll(credentials);
        }
        return Collections.unmodifiableMap(env);
    }

    private Map<String, String> credentials(Node n) {
        Map<String, String> all = new LinkedHashMap<>();
        Instant deadline = stageDeadline(n);
        Duration duration = deadline == null ? DEFAULT_CREDENTIALS_DURATION
                : Duration.between(Instant.now(), deadline);
        for (Role role : n.stage.roles()) {
            CredentialsProvider provider = settings.credentials.stream().filter(p -> p.supports(role)).findFirst()
                    .orElseThrow(() -> new PipewrightException("role '" + role.name() + "': no credentials"
                            + " provider supports it"));
            Credentials c;
            try {
                c = provider.credentials(role, new CredentialsRequest(pipeline.name(), n.stage.name(), runId,
                        duration.isNegative() ? Duration.ZERO : duration));
            } catch (RuntimeException e) {
                throw new PipewrightException("role '" + role.name() + "': could not get credentials from " + provider
                        + ": " + masker.mask(e), e);
            } catch (Exception e) {
                throw new PipewrightException("role '" + role.name() + "': could not get credentials from " + provider
                        + ": " + masker.mask(e), e);
            }
            c.environment().values().forEach(v -> register(masker, v, "a credential of role '" + role.name()
                    + "'"));
            all.putAll(c.environment());
        }
        return all;
    }

    // ---------------------------------------------------------------- hooks and the end

    private List<StageResult> runHooks() {
        List<StageResult> results = new ArrayList<>();
        RunStatus status = currentStatus();
        if (status != RunStatus.SUCCEEDED) {
            List<Node> began = new ArrayList<>();
            for (Node n : nodes) {
                if (n.startRank >= 0) {
                    began.add(n);
                }
            }
            began.sort(Comparator.comparingInt((Node n) -> n.startRank).reversed());
            for (Node n : began) {
                if (!n.stage.onFailure().isEmpty() && n.outcome != StageOutcome.SUCCEEDED) {
                    results.add(hook(n.stage.name() + ":onFailure", n.stage.onFailure(), () -> environment(n)));
                }
            }
            if (!pipeline.onFailure().isEmpty()) {
                results.add(hook("pipeline:onFailure", pipeline.onFailure(), this::hookEnvironment));
            }
        }
        if (!pipeline.always().isEmpty()) {
            results.add(hook("pipeline:always", pipeline.always(), this::hookEnvironment));
        }
        return results;
    }

    private Map<String, String> hookEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(inherited);
        env.put("PIPEWRIGHT_PIPELINE", pipeline.name());
        env.put("PIPEWRIGHT_RUN_ID", runId);
        env.put("PIPEWRIGHT_RUN_STATUS", currentStatus().name());
        StageEnvironment.AWS_BLINDERS.forEach(env::putIfAbsent);
        return Collections.unmodifiableMap(env);
    }

    private RunStatus currentStatus() {
        synchronized (lock) {
            return verdict != null ? verdict : refused ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
        }
    }

    /** Runs a hook's steps in order, the first failure ending it; hooks stop only on a second cancel. */
    private StageResult hook(String name, List<Step> steps, Supplier<Map<String, String>> environment) {
        long start = System.nanoTime();
        StageContext context = new StageContext(this, name, hookCancellation, null, environment);
        if (journal != null) {
            journal.append(new StageStarted(name, 1, Instant.now()));
        }
        listeners.stageStarted(name, 1);
        StageOutcome outcome = StageOutcome.SUCCEEDED;
        Integer exitCode = null;
        String message = null;
        for (int i = 0; i < steps.size() && outcome == StageOutcome.SUCCEEDED; i++) {
            Step step = steps.get(i);
            String which = "step " + (i + 1) + " '" + step.name() + "'";
            try {
                settings.handlers.get(step.type()).run(step, context);
            } catch (StepFailedException e) {
                outcome = StageOutcome.FAILED;
                exitCode = e.exitCode().isPresent() ? e.exitCode().getAsInt() : null;
                message = which + " failed: " + masker.mask(e.getMessage());
            } catch (InterruptedException | CancellationException e) {
                outcome = StageOutcome.CANCELLED;
                message = which + " was stopped";
            } catch (Exception e) {
                outcome = StageOutcome.FAILED;
                message = which + " failed: " + masker.mask(e);
            }
        }
        Thread.interrupted();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (journal != null) {
            journal.append(new StageFinished(name, 1, Outcome.valueOf(outcome.name()), exitCode, took.toMillis(),
                    Instant.now(), message));
        }
        StageResult result = new StageResult(name, outcome, 1,
                exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode), took,
                Optional.ofNullable(message));
        listeners.hookFinished(result);
        if (outcome != StageOutcome.SUCCEEDED) {
            LOG.error("Hook {} of run {} did not succeed: {}", name, runId, message);
            synchronized (lock) {
                if (verdict == null) {
                    verdict = RunStatus.FAILED;
                    verdictMessage = "hook " + name + " " + describe(outcome) + ": " + message;
                }
            }
        }
        return result;
    }

    private RunResult finish(List<StageResult> hooks) {
        RunStatus status;
        String message;
        List<StageResult> stages = new ArrayList<>(nodes.size());
        synchronized (lock) {
            status = verdict != null ? verdict : refused ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
            message = verdict != null ? verdictMessage : refused ? refusals() : null;
            for (Node n : nodes) {
                stages.add(result(n));
            }
        }
        if (journal != null) {
            journal.append(new RunFinished(JournalEvent.RunStatus.valueOf(status.name()), Instant.now()));
        }
        RunResult result = new RunResult(runId, pipeline.name(), status, facts, stages, hooks,
                Duration.ofNanos(System.nanoTime() - startNanos),
                journal == null ? Optional.empty() : Optional.of(runDirectory),
                Optional.ofNullable(message));
        LOG.info("Run {} of pipeline '{}' ended: {}", runId, pipeline.name(), status);
        listeners.runFinished(result);
        return result;
    }

    private String refusals() {
        List<String> refusals = new ArrayList<>();
        for (Node n : nodes) {
            if (n.outcome == StageOutcome.REFUSED) {
                refusals.add("stage '" + n.stage.name() + "': " + n.message);
            }
        }
        return "stopped at an approval: " + String.join("; ", refusals);
    }
}
