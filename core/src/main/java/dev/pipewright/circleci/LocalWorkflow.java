package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.Pipeline;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.Plugin;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One workflow of a CircleCI configuration, made ready to run on this machine with the local
 * runner: the {@link Pipeline} it becomes and the {@link Plugin} whose step handlers run its steps.
 *
 * <pre>{@code
 * CircleCiConfig config = CircleCiConfig.parse(Files.readString(file), file.toString());
 * Facts facts = Facts.builder().ref(Ref.branch("main")).build();
 * LocalWorkflow local = LocalWorkflow.of(config, null, facts);
 * local.problems().forEach(System.err::println);   // file:line:column: path: message
 * RunResult result = LocalRunner.builder()
 *     .workspace(repository)
 *     .facts(facts)
 *     .addPlugin(local.plugin())
 *     .build()
 *     .run(local.pipeline().orElseThrow());
 * }</pre>
 *
 * <p><b>What CircleCI does at compile time is done here:</b> pipeline values ({@code
 * << pipeline.git.branch >>}, {@code << pipeline.git.revision >>}, {@code << pipeline.number >>}...)
 * and pipeline parameters, job, command and executor parameters with their defaults and types,
 * {@code steps} parameters, reusable commands (and those of inline orbs), {@code when}/{@code unless}
 * steps and workflow conditions, expressions, and matrices, each combination a stage named as
 * CircleCI names it ({@code test-17-linux}: the job, then the values in the order of the parameter
 * names), or by its {@code name} with the values substituted.
 *
 * <p><b>The workflow becomes a pipeline:</b> each job a stage (a name with characters a stage name
 * cannot hold gets {@code -} for them, and a note); {@code requires} become needs; a
 * {@code type: approval} job becomes a manual approval gate, named after it, on each job that
 * requires it, which also waits for what the approval requires and takes its filters; branch and
 * tag filters become stage filters; an expression filter is decided for the run's branch or tag.
 * A requirement on other statuses than success is refused, unless it includes success or
 * {@code terminal}, which waits for success (with a note). Executors (Docker, machine, macOS) are
 * not used: the steps run on this host, one note a job says so; the executor's and the job's
 * {@code environment}, {@code shell} and {@code working_directory} apply. The job's working
 * directory ({@code ~/project} by default) is the runner's workspace.
 *
 * <p><b>Steps:</b> {@code run} runs in the host's shell ({@code bash -eo pipefail} unless the job
 * or step gives one), with the job's and the step's {@code environment} (literal values, as on
 * CircleCI) and in its {@code working_directory}; a {@code background} step runs along the job's
 * next steps and is stopped when the job ends. Steps with {@code when: on_fail} or {@code always}
 * that come after a failed step run once, in order, as the job's failure hook; the runner runs
 * failure hooks when the run ends, after stopping the jobs still running (it fails fast, where
 * CircleCI lets other jobs finish). {@code checkout} becomes a step of type
 * {@code checkout} with parameter {@code path}, run by the {@code git} module's handler; the
 * workspace goes through the run's folder ({@code circleci/workspace/<stage>/}), a job attaching
 * the layers of the jobs it waits for; caches go in {@link #caches()} and outlive runs; artifacts
 * are copied to {@code artifacts/<stage>/} in the run's folder; test results are attached to the
 * run's report. Orb commands and jobs ({@code circleci.orb.<orb>.<command>},
 * {@code circleci.orb-job.<orb>.<job>}), {@code setup_remote_docker}, {@code add_ssh_keys} and
 * {@code deploy} become steps of their own type with no handler here: the runner refuses the run
 * before it starts, naming them, unless a handler is registered for that type.
 *
 * <p><b>Variables:</b> each {@code run} step gets {@code CI}, {@code CIRCLECI},
 * {@code CIRCLE_BRANCH} or {@code CIRCLE_TAG}, {@code CIRCLE_SHA1}, {@code CIRCLE_JOB},
 * {@code CIRCLE_WORKING_DIRECTORY}, {@code CIRCLE_WORKFLOW_ID} (the run's id),
 * {@code CIRCLE_NODE_INDEX=0} and {@code CIRCLE_NODE_TOTAL=1}. Contexts do not exist locally: give
 * their variables with {@link Builder#secrets}, which every job gets, masked.
 *
 * <p>Immutable and thread-safe; the translation is deterministic, so the same configuration and
 * facts give an equal pipeline, which a run can be resumed with.
 *
 * @since 0.1
 */
public final class LocalWorkflow {
    /** Where caches are kept unless {@link Builder#caches(Path)} says otherwise: {@code <tmp>/pipewright-circleci-caches}. */
    public static final Path DEFAULT_CACHES = Path.of(System.getProperty("java.io.tmpdir"), "pipewright-circleci-caches");
    private static final Pattern STAGE_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Optional<String> workflow;
    private final Optional<Pipeline> pipeline;
    private final List<ConfigProblem> problems;
    private final List<String> notes;
    private final LocalHandlers plugin;
    private final Map<String, String> secrets;

    private LocalWorkflow(Builder b) {
        Set<String> declarable = new LinkedHashSet<>();
        Map<String, String> exported = new LinkedHashMap<>();
        b.secrets.forEach((k, v) -> {
            if (STAGE_VARIABLE.matcher(k).matches() && !k.startsWith("CIRCLE_")) {
                declarable.add(k);
            } else {
                exported.put(k, v);
            }
        });
        LocalTranslation.Result result = LocalTranslation.translate(b.config, new LocalTranslation.Options(b.workflow,
                b.facts, b.parameters, declarable, b.pipelineNumber));
        this.workflow = result.workflow();
        this.pipeline = result.pipeline();
        this.problems = result.problems();
        this.notes = result.notes();
        this.plugin = new LocalHandlers(b.caches, exported);
        this.secrets = ImmutableMap.copyOf(b.secrets);
    }

    /**
     * Workflow {@code workflow} of {@code config} for a run with {@code facts}; without a name, the
     * configuration's only workflow (or the only one whose condition lets it run).
     *
     * @throws NullPointerException if {@code config} or {@code facts} is null
     */
    public static LocalWorkflow of(CircleCiConfig config, @Nullable String workflow, Facts facts) {
        Builder b = builder(config).facts(facts);
        if (workflow != null) {
            b.workflow(workflow);
        }
        return b.build();
    }

    /** A builder for a workflow of {@code config}, for pipeline parameters, secrets and the caches folder. */
    public static Builder builder(CircleCiConfig config) {
        return new Builder(checkNotNull(config, "config"));
    }

    /** The workflow chosen; empty when none could be. */
    public Optional<String> workflow() {
        return workflow;
    }

    /** The pipeline to run; empty when there are {@link #problems()}. */
    public Optional<Pipeline> pipeline() {
        return pipeline;
    }

    /**
     * The pipeline to run.
     *
     * @throws InvalidConfigException listing every problem when there are any
     */
    public Pipeline pipelineOrThrow() {
        if (pipeline.isEmpty()) {
            throw new InvalidConfigException(problems.isEmpty()
                    ? List.of(new ConfigProblem("", 0, 0, "", "no pipeline could be made")) : problems);
        }
        return pipeline.get();
    }

    /** What keeps the workflow from running here, each with its file, line, column and key path; empty when nothing does. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * What runs differently than on CircleCI, one sentence each: images not used, keys ignored,
     * contexts missing, names changed.
     */
    public List<String> notes() {
        return notes;
    }

    /**
     * The step handlers for the workflow's steps ({@code circleci.run}, caches, workspace,
     * artifacts, test results), and a listener that stops background steps when their job ends.
     */
    public Plugin plugin() {
        return plugin;
    }

    /** Where caches are kept. */
    public Path caches() {
        return plugin.cachesFolder();
    }

    /** The values given with {@link Builder#secrets}, to hand to the runner as secrets so they are set and masked. */
    public Map<String, String> secrets() {
        return secrets;
    }

    /** Names the workflow and counts the problems; never shows a secret. */
    @Override
    public String toString() {
        return "LocalWorkflow" + workflow.map(w -> " '" + w + "'").orElse("") + " (" + problems.size() + " problems)";
    }

    /**
     * Builds a {@link LocalWorkflow}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final CircleCiConfig config;
        private @Nullable String workflow;
        private Facts facts = Facts.NONE;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private final Map<String, String> secrets = new LinkedHashMap<>();
        private Path caches = DEFAULT_CACHES;
        private long pipelineNumber = 1;

        private Builder(CircleCiConfig config) {
            this.config = config;
        }

        /** The workflow to run; without it, the only one. */
        @CanIgnoreReturnValue
        public Builder workflow(String workflow) {
            this.workflow = checkNotNull(workflow, "workflow");
            return this;
        }

        /** The branch or tag, commit and message the run is for: what filters, conditions and pipeline values see. */
        @CanIgnoreReturnValue
        public Builder facts(Facts facts) {
            this.facts = checkNotNull(facts, "facts");
            return this;
        }

        /** Gives pipeline parameter {@code name} a value, as text typed as declared ({@code true}, {@code 3}). */
        @CanIgnoreReturnValue
        public Builder putParameter(String name, String value) {
            parameters.put(checkNotNull(name, "name"), checkNotNull(value, "value"));
            return this;
        }

        /**
         * Variables every job gets, such as those of an environment file or of the contexts the
         * workflow names; replaces. Their values are secrets: pass {@link LocalWorkflow#secrets()} to
         * the runner, which sets and masks them.
         */
        @CanIgnoreReturnValue
        public Builder secrets(Map<String, String> values) {
            checkNotNull(values, "values");
            secrets.clear();
            values.forEach((k, v) -> {
                checkArgument(k != null && !k.isEmpty() && !k.contains("=") && v != null,
                        "a secret needs a name without '=' and a value");
                secrets.put(k, v);
            });
            return this;
        }

        /** Where caches are kept, across runs; {@link #DEFAULT_CACHES} unless given. */
        @CanIgnoreReturnValue
        public Builder caches(Path folder) {
            this.caches = checkNotNull(folder, "folder");
            return this;
        }

        /** {@code << pipeline.number >>}; 1 unless given. */
        @CanIgnoreReturnValue
        public Builder pipelineNumber(long number) {
            checkArgument(number >= 1, "the pipeline number must be positive but was %s", number);
            this.pipelineNumber = number;
            return this;
        }

        /** Translates the workflow; problems are reported by {@link LocalWorkflow#problems()}, not thrown. */
        public LocalWorkflow build() {
            return new LocalWorkflow(this);
        }
    }
}
