package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.Pipeline;
import dev.pipewright.PipewrightException;
import dev.pipewright.Ref;
import dev.pipewright.spi.Approver;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.RepositoryFacts;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.StepHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs a pipeline on this machine: the same stages, gates, roles and filters as in CI, in
 * parallel, safely and resumably.
 *
 * <pre>{@code
 * RunResult result = LocalRunner.builder()
 *         .workspace(Path.of("."))
 *         .journal(Path.of(".pipewright/runs"))
 *         .facts(Facts.builder().ref(Ref.branch("development")).build())
 *         .approver(Approvers.all("ci-bot"))
 *         .addListener(ConsoleReporter.plain(System.out))
 *         .build()
 *         .run(HousingApi.pipeline());
 * System.exit(result.exitCode());
 * }</pre>
 *
 * <h2>What a run does</h2>
 *
 * <ol>
 *   <li><b>Before anything starts</b>, it decides which stages run for the facts' branch or tag
 *       (their filters, as CircleCI would, and their {@code whenChanged} paths when the facts
 *       know the changed paths: read from the repository, they count from the pipeline's last
 *       successful run for the same branch or tag in the journal, else from the default branch), and refuses to start, listing every problem at once, when a
 *       step has no handler, a secret has no value, or a role has no credentials provider.
 *   <li><b>Stages</b> start as soon as every stage they need has succeeded, at most
 *       {@link Builder#concurrency(int)} at once. Gates are evaluated first, in order, without
 *       holding a slot: manual approvals through the {@link Approver} (each decision, with who
 *       and why, is journaled before the stage goes on), check gates in the stage's context.
 *       Steps run in order through their type's {@link StepHandler}; {@code shell} and
 *       {@code java} are built in.
 *   <li><b>Environment.</b> A stage sees this runner's environment without anything that looks
 *       like a credential ({@code AWS_*}, {@code *TOKEN*}, {@code *SECRET*}, {@code *PASSWORD*},
 *       {@code *_KEY}, {@code SSH_AUTH_SOCK}...; see {@link Pipeline#inherited()} for
 *       exceptions), plus its environment's and its own variables, its secrets, and the
 *       credentials of its roles from a {@link CredentialsProvider}, and nothing else. A stage
 *       with no AWS credentials also gets {@code AWS_SHARED_CREDENTIALS_FILE} and
 *       {@code AWS_CONFIG_FILE} set to {@code /dev/null} and {@code AWS_EC2_METADATA_DISABLED}, so
 *       the AWS tools cannot find the user's own credentials either. Every secret value and
 *       credential is masked in every output: console, journal, reports, messages.
 *   <li><b>Failure.</b> When a stage fails (after its retries), nothing else starts, running
 *       stages are cancelled (their process trees get TERM, then KILL after the grace period),
 *       then the {@code onFailure} steps of every stage that started and did not succeed run
 *       (latest first), then the pipeline's {@code onFailure} steps, then its {@code always}
 *       steps. {@link #cancel()} (the CLI calls it on SIGINT and SIGTERM) stops a run the same
 *       way; a second call also stops the hooks.
 *   <li><b>Journal.</b> With {@link Builder#journal(Path)}, every event is written and
 *       {@code fsync}'d to {@code <journal>/<run id>/journal.jsonl} before what it records goes
 *       ahead, and the run's JUnit XML ({@code junit.xml}) and JSON summary
 *       ({@code summary.json}) are written next to it. {@link #resume(Pipeline, String)} goes on
 *       with a run that was interrupted or failed: stages that succeeded are not run again,
 *       approvals given are not asked again.
 *   <li><b>Locks.</b> Only one run at a time on this machine may deploy to an environment: a
 *       stage takes its environment's lock (under {@code ~/.pipewright/locks}) before it starts
 *       and the run keeps it until it ends. A lock whose process is gone is broken.
 * </ol>
 *
 * <p>A runner is immutable once built and may run several pipelines, one after another or at
 * once; {@link #cancel()} cancels every run in progress.
 *
 * @since 0.1
 */
public final class LocalRunner {
    private final Settings settings;
    private final List<Execution> active = new ArrayList<>(); // guarded by itself

    private LocalRunner(Settings settings) {
        this.settings = settings;
    }

    /** A builder with the defaults: the current folder, no journal, one stage per core. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code pipeline} to its end and returns how it went. Blocks until every stage and hook
     * has ended.
     *
     * @throws PipewrightException before anything ran, listing every problem found, if the run
     *     cannot start: the branch or tag is unknown, a step has no handler, a secret no value,
     *     a role no credentials provider, the journal cannot be created
     * @throws NullPointerException if {@code pipeline} is null
     */
    public RunResult run(Pipeline pipeline) {
        checkNotNull(pipeline, "pipeline");
        return execute(pipeline, null);
    }

    /**
     * Goes on with run {@code runId} of {@code pipeline}, read from the journal: stages that
     * succeeded are skipped, the others run again, approvals already given are kept. The run's
     * facts (branch, tag, commit) are those it started with.
     *
     * @throws PipewrightException if the runner has no journal, the run has no journal, the
     *     pipeline changed since the run started (its digest differs), or the runner was given
     *     another branch or tag ({@link Builder#ref}, {@link Builder#facts}) than the run started with
     * @throws NullPointerException if an argument is null
     */
    public RunResult resume(Pipeline pipeline, String runId) {
        checkNotNull(pipeline, "pipeline");
        checkNotNull(runId, "runId");
        if (settings.journal == null) {
            throw new PipewrightException("Cannot resume run " + runId + ": this runner keeps no journal. Build it"
                    + " with .journal(folder), the folder the run was journaled in.");
        }
        if (!Journal.RUN_ID.matcher(runId).matches()) {
            throw new PipewrightException("'" + runId + "' is not a run id; a run id looks like"
                    + " 20261126T101500Z-1a2b3c, as printed when the run started.");
        }
        return execute(pipeline, runId);
    }

    /**
     * Cancels every run in progress, as a failure would: nothing more starts, running stages are
     * stopped, then hooks run. Calling it again stops the hooks too. Returns at once.
     */
    public void cancel() {
        synchronized (active) {
            active.forEach(Execution::cancel);
        }
    }

    private RunResult execute(Pipeline pipeline, @Nullable String resumeId) {
        Execution execution = Execution.prepare(pipeline, settings, resumeId);
        synchronized (active) {
            active.add(execution);
        }
        try {
            return execution.run();
        } finally {
            synchronized (active) {
                active.remove(execution);
            }
        }
    }

    /** Everything a run needs from its runner: the builder's values, resolved. */
    static final class Settings {
        final Path workspace;
        final @Nullable Path journal;
        final Path locks;
        final int concurrency;
        final @Nullable Duration timeout;
        final Duration gracePeriod;
        final Approver approver;
        final Map<String, StepHandler> handlers;
        final List<CredentialsProvider> credentials;
        /** The plugin that gave each provider not registered on the builder. */
        final Map<CredentialsProvider, String> credentialsPlugins;
        final @Nullable RepositoryFacts repositoryFacts;
        final @Nullable Facts facts;
        final @Nullable Ref ref;
        final List<RunListener> listeners;
        final Map<String, String> environment;
        final Map<String, String> secrets;

        Settings(Builder b, Map<String, StepHandler> handlers, List<CredentialsProvider> credentials,
                Map<CredentialsProvider, String> credentialsPlugins, @Nullable RepositoryFacts repositoryFacts,
                List<RunListener> listeners) {
            this.workspace = b.workspace.toAbsolutePath().normalize();
            this.journal = b.journal == null ? null : b.journal.toAbsolutePath().normalize();
            this.locks = (b.locks != null ? b.locks
                    : Path.of(System.getProperty("user.home"), ".pipewright", "locks")).toAbsolutePath().normalize();
            this.concurrency = b.concurrency;
            this.timeout = b.timeout;
            this.gracePeriod = b.gracePeriod;
            this.approver = b.approver;
            this.handlers = ImmutableMap.copyOf(handlers);
            this.credentials = ImmutableList.copyOf(credentials);
            this.credentialsPlugins = new java.util.IdentityHashMap<>(credentialsPlugins);
            this.repositoryFacts = repositoryFacts;
            this.facts = b.facts;
            this.ref = b.ref;
            this.listeners = ImmutableList.copyOf(listeners);
            this.environment = ImmutableMap.copyOf(b.environment);
            this.secrets = ImmutableMap.copyOf(b.secrets);
        }
    }

    /**
     * Builds a {@link LocalRunner}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private Path workspace = Path.of("");
        private @Nullable Path journal;
        private @Nullable Path locks;
        private int concurrency = Runtime.getRuntime().availableProcessors();
        private @Nullable Duration timeout;
        private Duration gracePeriod = Duration.ofSeconds(5);
        private Approver approver = Approvers.none();
        private final List<Plugin> plugins = new ArrayList<>();
        private final List<StepHandler> handlers = new ArrayList<>();
        private final List<CredentialsProvider> credentials = new ArrayList<>();
        private @Nullable RepositoryFacts repositoryFacts;
        private @Nullable Facts facts;
        private @Nullable Ref ref;
        private final List<RunListener> listeners = new ArrayList<>();
        private Map<String, String> environment = System.getenv();
        private Map<String, String> secrets = Map.of();
        private boolean discover = true;

        private Builder() { }

        /** The folder stages work in (their working directory); the current folder by default. */
        @CanIgnoreReturnValue
        public Builder workspace(Path folder) {
            this.workspace = checkNotNull(folder, "folder");
            return this;
        }

        /**
         * Journals runs under {@code folder}: {@code <folder>/<run id>/} holds the journal, the JUnit
         * XML report, the JSON summary and the run's files. Without it, runs keep no journal
         * (they cannot be resumed) and their files go to a temporary folder.
         */
        @CanIgnoreReturnValue
        public Builder journal(Path folder) {
            this.journal = checkNotNull(folder, "folder");
            return this;
        }

        /** Where environment locks live; {@code ~/.pipewright/locks} by default. */
        @CanIgnoreReturnValue
        public Builder locks(Path folder) {
            this.locks = checkNotNull(folder, "folder");
            return this;
        }

        /**
         * How many stages may run at once, at least 1; the number of cores by default. Stages
         * waiting for an approval do not count.
         */
        @CanIgnoreReturnValue
        public Builder concurrency(int stages) {
            checkArgument(stages >= 1, "concurrency must be at least 1 but was %s", stages);
            this.concurrency = stages;
            return this;
        }

        /** How long a whole run may take; no limit by default. Retries never start past it. */
        @CanIgnoreReturnValue
        public Builder timeout(Duration timeout) {
            checkNotNull(timeout, "timeout");
            checkArgument(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive but was %s", timeout);
            this.timeout = timeout;
            return this;
        }

        /** How long stopped processes get between TERM and KILL; 5 s by default. */
        @CanIgnoreReturnValue
        public Builder gracePeriod(Duration grace) {
            checkNotNull(grace, "grace");
            checkArgument(!grace.isNegative(), "grace period must not be negative but was %s", grace);
            this.gracePeriod = grace;
            return this;
        }

        /** Decides manual approvals; by default every approval is refused. See {@link Approvers}. */
        @CanIgnoreReturnValue
        public Builder approver(Approver approver) {
            this.approver = checkNotNull(approver, "approver");
            return this;
        }

        /** Adds a plugin's handlers, credentials providers, repository reader and listeners. */
        @CanIgnoreReturnValue
        public Builder addPlugin(Plugin plugin) {
            plugins.add(checkNotNull(plugin, "plugin"));
            return this;
        }

        /** Adds the handler of one step type; it wins over any plugin's handler for that type. */
        @CanIgnoreReturnValue
        public Builder addStepHandler(StepHandler handler) {
            handlers.add(checkNotNull(handler, "handler"));
            return this;
        }

        /** Adds a credentials provider; it is asked before any plugin's. */
        @CanIgnoreReturnValue
        public Builder addCredentialsProvider(CredentialsProvider provider) {
            credentials.add(checkNotNull(provider, "provider"));
            return this;
        }

        /** Reads the run's facts from the workspace's repository with {@code reader}. */
        @CanIgnoreReturnValue
        public Builder repositoryFacts(RepositoryFacts reader) {
            this.repositoryFacts = checkNotNull(reader, "reader");
            return this;
        }

        /** Gives the run's facts outright; no repository is read. */
        @CanIgnoreReturnValue
        public Builder facts(Facts facts) {
            this.facts = checkNotNull(facts, "facts");
            return this;
        }

        /** Runs for this branch or tag, whatever the facts say (the CLI's {@code --branch}/{@code --tag}). */
        @CanIgnoreReturnValue
        public Builder ref(Ref ref) {
            this.ref = checkNotNull(ref, "ref");
            return this;
        }

        /** Adds a listener: reports, progress views. */
        @CanIgnoreReturnValue
        public Builder addListener(RunListener listener) {
            listeners.add(checkNotNull(listener, "listener"));
            return this;
        }

        /**
         * The environment stages inherit, credential-like names removed; this JVM's by default.
         * Secrets are looked up here too when {@link #secrets(Map)} does not have them.
         */
        @CanIgnoreReturnValue
        public Builder environment(Map<String, String> environment) {
            this.environment = ImmutableMap.copyOf(checkNotNull(environment, "environment"));
            return this;
        }

        /** Values of the pipeline's secrets by name; every value is masked everywhere. Replaces. */
        @CanIgnoreReturnValue
        public Builder secrets(Map<String, String> values) {
            this.secrets = ImmutableMap.copyOf(checkNotNull(values, "values"));
            return this;
        }

        /**
         * Whether to look for {@link Plugin}s with {@link ServiceLoader} when none was added;
         * true by default.
         */
        @CanIgnoreReturnValue
        public Builder discover(boolean discover) {
            this.discover = discover;
            return this;
        }

        /**
         * The runner.
         *
         * @throws PluginException naming both, if two plugins handle the same step type or both
         *     read repository facts
         */
        public LocalRunner build() {
            List<Plugin> all = new ArrayList<>(plugins);
            if (all.isEmpty() && discover) {
                ServiceLoader.load(Plugin.class).forEach(all::add);
            }
            Map<String, StepHandler> byType = new LinkedHashMap<>();
            Map<String, String> owner = new LinkedHashMap<>();
            BuiltInHandlers.all().forEach(h -> {
                byType.put(h.type(), h);
                owner.put(h.type(), "Pipewright");
            });
            List<CredentialsProvider> providers = new ArrayList<>(credentials);
            Map<CredentialsProvider, String> pluginProviders = new java.util.IdentityHashMap<>();
            AtomicReference<@Nullable RepositoryFacts> reader = new AtomicReference<>(repositoryFacts);
            String readerOwner = repositoryFacts == null ? null : "the builder";
            List<RunListener> allListeners = new ArrayList<>(listeners);
            java.util.Set<String> explicit = new java.util.HashSet<>();
            handlers.forEach(h -> explicit.add(h.type()));
            for (Plugin p : all) {
                for (StepHandler h : p.stepHandlers()) {
                    String previous = owner.get(h.type());
                    if (previous != null && !previous.equals("Pipewright") && !explicit.contains(h.type())) {
                        throw new PluginException("Plugins '" + previous + "' and '" + p.name() + "' both handle"
                                + " steps of type '" + h.type() + "'. Register the one you want explicitly:"
                                + " LocalRunner.builder().addStepHandler(...).");
                    }
                    byType.put(h.type(), h);
                    owner.put(h.type(), p.name());
                }
                for (CredentialsProvider c : p.credentialsProviders()) {
                    providers.add(c);
                    pluginProviders.put(c, p.name());
                }
                Optional<RepositoryFacts> r = p.repositoryFacts();
                if (r.isPresent() && repositoryFacts == null) {
                    if (reader.get() != null) {
                        throw new PluginException("Plugins '" + readerOwner + "' and '" + p.name() + "' both read"
                                + " repository facts. Choose one: LocalRunner.builder().repositoryFacts(...).");
                    }
                    reader.set(r.get());
                    readerOwner = p.name();
                }
                allListeners.addAll(p.listeners());
            }
            handlers.forEach(h -> byType.put(h.type(), h));
            checkState(concurrency >= 1);
            return new LocalRunner(new Settings(this, byType, providers, pluginProviders, reader.get(), allListeners));
        }
    }
}
