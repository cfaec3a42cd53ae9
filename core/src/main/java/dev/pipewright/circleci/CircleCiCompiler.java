package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.CircleCiOptions;
import dev.pipewright.Filter;
import dev.pipewright.Gate;
import dev.pipewright.JavaStep;
import dev.pipewright.OrbStep;
import dev.pipewright.PathPattern;
import dev.pipewright.Pipeline;
import dev.pipewright.PipewrightException;
import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.ShellStep;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import dev.pipewright.Trigger;
import dev.pipewright.internal.JobSteps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a {@link Pipeline} into a CircleCI 2.1 configuration:
 *
 * <ul>
 *   <li>each stage becomes a job of the same name: {@code checkout}, the workspace, caches and
 *       role set-up, its check gates, its steps, then caches, workspace, test results and
 *       artifacts; its executor and resource class come from the pipeline's, environment's and
 *       stage's CircleCI options (a pipeline-wide executor becomes the reusable executor
 *       {@code default}; without any, {@code cimg/base:current});
 *   <li>the stages' dependencies become {@code requires}; a manual approval gate becomes an
 *       approval job between the stage and what it needs;
 *   <li>an environment brings its branch and tag filters, its contexts and its variables; secrets
 *       never reach the YAML: they come from the contexts at run time;
 *   <li>a role whose identity is an IAM role ARN is assumed through OIDC with the {@code aws-cli}
 *       orb's {@code setup} command: no long-lived keys in the config. The session lasts the
 *       stage's timeout (15 minutes to 12 hours; the orb's hour without one). CircleCI gives the
 *       OIDC token only to jobs with a context, and a role's trust policy tells environments
 *       apart by context, so such a job must have a context that no other environment's jobs
 *       use: one context per environment;
 *   <li>shell steps become {@code run} steps; orb steps stay orb steps; Java steps and check
 *       gates run the team's Pipewright {@code main} through the launcher ({@code step} and
 *       {@code gate} commands); other step types have no CircleCI form yet and are refused;
 *   <li>a restricted push trigger narrows every job's filters; each schedule becomes a workflow
 *       with a {@code schedule} trigger;
 *   <li>stages with path filters ({@link Stage#whenChanged()}) make it dynamic configuration, two
 *       files ({@link #generateAll}): see below.
 * </ul>
 *
 * <p><b>Path filters.</b> When a stage has {@code whenChanged} patterns, {@value #CONFIG_FILE}
 * becomes a setup configuration ({@code setup: true}) whose one workflow runs the {@code
 * path-filtering} orb's {@code filter} job (on every branch and tag): it compares the commit with
 * its merge base with the default branch and sets the boolean pipeline parameter {@code
 * changed-STAGE} of each filtered stage whose patterns select a changed path (the patterns become
 * one regular expression: {@link PathPattern#regex(List)}), then continues with {@value
 * #CONTINUATION_FILE}: the usual jobs and workflows, plus those parameters (default {@code false}).
 * A job that is filtered, or needs a filtered stage directly or not, starts with a step that
 * halts it ({@code circleci-agent step halt}, a success) unless all those parameters are true: as
 * in a local run, where a stage is skipped when nothing it watches changed, and so are the stages
 * that need it. CircleCI's {@code git diff} reports a renamed file under its new path only, where
 * {@code ChangedPaths} reports both. An approval in front of a halted job still waits.
 *
 * @since 0.1
 */
public final class CircleCiCompiler {
    /** The executor a job gets when no CircleCI option names one. */
    public static final String DEFAULT_IMAGE = "cimg/base:current";
    /** The aws-cli orb used for OIDC role assumption. */
    static final String AWS_CLI_ORB = "circleci/aws-cli@5.4.1";
    private static final String IAM_ROLE_ARN = "arn:aws:iam::";
    private static final long MIN_SESSION_SECONDS = 900;
    private static final long MAX_SESSION_SECONDS = 43_200;
    /** The file CircleCI reads: the whole configuration, or the setup one with path filters. */
    public static final String CONFIG_FILE = ".circleci/config.yml";
    /** The configuration a setup workflow continues with, for pipelines with path filters. */
    public static final String CONTINUATION_FILE = ".circleci/continue_config.yml";
    /** The orb whose {@code filter} job maps changed paths to pipeline parameters; a pipeline may pin another under the alias {@value #PATH_FILTERING}. */
    public static final String PATH_FILTERING_ORB = "circleci/path-filtering@1.2.0";
    static final String PATH_FILTERING = "path-filtering";
    /** The default branch the setup workflow compares with when the pipeline does not tell. */
    public static final String DEFAULT_BASE_BRANCH = "main";

    private final Pipeline pipeline;
    private final Map<String, Object> orbs = new LinkedHashMap<>();
    /** Per stage, the pipeline parameters that must all be true for it to run: its own path filter's and its needs'. */
    private final Map<String, List<String>> pathConditions;

    private CircleCiCompiler(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.pathConditions = PathFilters.conditions(pipeline);
    }

    /**
     * The CircleCI configuration for {@code pipeline}.
     *
     * @throws NullPointerException if {@code pipeline} is null
     * @throws PipewrightException if a step has a type with no CircleCI form, naming the stage and step
     */
    public static CircleCiConfig compile(Pipeline pipeline) {
        checkNotNull(pipeline, "pipeline");
        return new CircleCiCompiler(pipeline).config();
    }

    /**
     * The configuration for {@code pipeline} as YAML, with a header saying it is generated and from
     * what: the content of {@value #CONFIG_FILE}. With path filters, that is the setup
     * configuration only; {@link #generateAll} gives its continuation too.
     */
    public static String generate(Pipeline pipeline) {
        return generateAll(pipeline).get(CONFIG_FILE);
    }

    /**
     * Every file of {@code pipeline}'s CircleCI configuration, by path relative to the repository:
     * {@value #CONFIG_FILE} alone, or with path filters the setup configuration there and its
     * continuation in {@value #CONTINUATION_FILE}. The setup workflow compares with the default
     * branch this guesses from the pipeline: {@code master} when a filter names {@code master}
     * and none names {@code main}, else {@value #DEFAULT_BASE_BRANCH}; pass it to {@link
     * #generateAll(Pipeline, String)} to be sure.
     *
     * @throws NullPointerException if {@code pipeline} is null
     * @throws PipewrightException if a step has no CircleCI form, naming the stage and step
     */
    public static Map<String, String> generateAll(Pipeline pipeline) {
        checkNotNull(pipeline, "pipeline");
        return generateAll(pipeline, PathFilters.guessDefaultBranch(pipeline));
    }

    /**
     * Every file of {@code pipeline}'s CircleCI configuration (see {@link #generateAll(Pipeline)}),
     * the setup workflow comparing changes with {@code defaultBranch}, the repository's default
     * branch (what {@code GitFacts} reads as {@code Facts.defaultBranch()}).
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code defaultBranch} is blank or holds whitespace
     * @throws PipewrightException if a step has no CircleCI form, naming the stage and step
     */
    public static Map<String, String> generateAll(Pipeline pipeline, String defaultBranch) {
        checkNotNull(pipeline, "pipeline");
        checkNotNull(defaultBranch, "defaultBranch");
        checkArgument(!defaultBranch.isBlank() && defaultBranch.chars().noneMatch(Character::isWhitespace),
                "the default branch must be a branch name, but was '%s'", defaultBranch);
        CircleCiCompiler compiler = new CircleCiCompiler(pipeline);
        CircleCiConfig config = compiler.config();
        if (compiler.pathConditions.isEmpty()) {
            return Map.of(CONFIG_FILE, config.toYaml(header(pipeline)));
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(CONFIG_FILE, PathFilters.setup(pipeline, defaultBranch).toYaml(List.of(
                "Generated by Pipewright from pipeline '" + pipeline.name() + "': the setup workflow, which runs"
                        + " " + CONTINUATION_FILE + ".",
                "Do not edit by hand: change the pipeline's code, then generate both files again.")));
        files.put(CONTINUATION_FILE, config.toYaml(List.of(
                "Generated by Pipewright from pipeline '" + pipeline.name() + "': what " + CONFIG_FILE
                        + " continues with.",
                "Do not edit by hand: change the pipeline's code, then generate both files again.")));
        return java.util.Collections.unmodifiableMap(files);
    }

    static List<String> header(Pipeline pipeline) {
        return List.of("Generated by Pipewright from pipeline '" + pipeline.name() + "'. Do not edit by hand:",
                "change the pipeline's code, then run `generate " + pipeline.name() + " -o .circleci/config.yml`.");
    }

    private CircleCiConfig config() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 2.1);
        if (!pathConditions.isEmpty()) {
            root.put("parameters", PathFilters.parameters(pipeline));
        }
        Map<String, Object> jobs = new LinkedHashMap<>();
        Optional<CircleCiOptions.Executor> shared = pipeline.circleci().executor();
        for (Stage s : pipeline.stages()) {
            jobs.put(s.name(), job(s, shared));
        }
        orbs.putAll(allOrbs());
        if (!orbs.isEmpty()) {
            root.put("orbs", orbs);
        }
        shared.ifPresent(e -> {
            Map<String, Object> executor = new LinkedHashMap<>();
            executor(e, executor);
            pipeline.circleci().resourceClass().ifPresent(r -> executor.put("resource_class", r));
            root.put("executors", Map.of("default", executor));
        });
        root.put("jobs", jobs);
        root.put("workflows", workflows());
        return CircleCiConfig.of(root, "<pipeline " + pipeline.name() + ">");
    }

    private Map<String, Object> allOrbs() {
        Map<String, Object> all = new LinkedHashMap<>(pipeline.circleci().orbs());
        for (Stage s : pipeline.stages()) {
            all.putAll(pipeline.circleciFor(s).orbs());
        }
        all.putAll(orbs);
        return all;
    }

    private Map<String, Object> job(Stage stage, Optional<CircleCiOptions.Executor> shared) {
        CircleCiOptions options = pipeline.circleciFor(stage);
        Map<String, Object> job = new LinkedHashMap<>();
        Optional<CircleCiOptions.Executor> executor = options.executor();
        if (executor.isPresent() && executor.equals(shared)) {
            job.put("executor", "default");
            if (!options.resourceClass().equals(pipeline.circleci().resourceClass())) {
                options.resourceClass().ifPresent(r -> job.put("resource_class", r));
            }
        } else {
            executor(executor.orElse(new CircleCiOptions.Docker(DEFAULT_IMAGE, List.of())), job);
            options.resourceClass().ifPresent(r -> job.put("resource_class", r));
        }
        if (!stage.effectiveVariables().isEmpty()) {
            job.put("environment", new LinkedHashMap<>(stage.effectiveVariables()));
        }
        List<Object> steps = new ArrayList<>();
        PathFilters.haltUnlessChanged(pathConditions.getOrDefault(stage.name(), List.of())).ifPresent(steps::add);
        steps.add(Map.of("checkout", Map.of()));
        options.attachWorkspace().ifPresent(at -> steps.add(step("attach_workspace", "at", at)));
        if (!options.restoreCacheKeys().isEmpty()) {
            steps.add(step("restore_cache", "keys", options.restoreCacheKeys()));
        }
        for (Role role : stage.roles()) {
            role.assumes().filter(a -> a.startsWith(IAM_ROLE_ARN)).ifPresent(arn -> {
                requireOwnContext(stage, role, options.contexts());
                orbs.putIfAbsent("aws-cli", AWS_CLI_ORB);
                Map<String, Object> setup = new LinkedHashMap<>();
                setup.put("role_arn", arn);
                setup.put("role_session_name", sessionName(stage));
                stage.timeout().ifPresent(t -> setup.put("session_duration", sessionDuration(t)));
                steps.add(Map.of("aws-cli/setup", setup));
            });
        }
        String launcher = options.launcher().orElse(CircleCiOptions.DEFAULT_LAUNCHER);
        for (Gate gate : stage.gates()) {
            if (!gate.isManualApproval()) {
                steps.add(run("gate: " + gate.name(), launcher + " gate " + pipeline.name() + " " + stage.name()
                        + " " + gate.name()));
            }
        }
        List<JobSteps.Entry> jobSteps = JobSteps.of(pipeline, stage);
        for (int i = 0; i < jobSteps.size(); i++) {
            steps.add(step(stage, jobSteps.get(i), i + 1, launcher));
        }
        for (CircleCiOptions.Cache cache : options.saveCaches()) {
            Map<String, Object> save = new LinkedHashMap<>();
            save.put("key", cache.key());
            save.put("paths", cache.paths());
            steps.add(Map.of("save_cache", save));
        }
        for (CircleCiOptions.Workspace w : options.persistToWorkspace()) {
            Map<String, Object> persist = new LinkedHashMap<>();
            persist.put("root", w.root());
            persist.put("paths", w.paths());
            steps.add(Map.of("persist_to_workspace", persist));
        }
        options.storeTestResults().forEach(p -> steps.add(step("store_test_results", "path", p)));
        options.storeArtifacts().forEach(p -> steps.add(step("store_artifacts", "path", p)));
        job.put("steps", steps);
        return job;
    }

    /**
     * Refuses a role assumed through OIDC by a job without a context of its environment's own:
     * CircleCI issues the OIDC token only to jobs with a context, and a role's trust policy tells
     * environments apart by their context ids, so two environments sharing their only context could
     * assume each other's roles.
     */
    private void requireOwnContext(Stage stage, Role role, List<String> contexts) {
        String where = "Pipeline '" + pipeline.name() + "' cannot be exported to CircleCI: stage '" + stage.name()
                + "' assumes role '" + role.name() + "' through OIDC";
        String owner = stage.environment().map(e -> "environment '" + e.name() + "'").orElse("the stage");
        String fix = stage.environment().map(e -> "Environment.named(\"" + e.name() + "\")...circleci(c -> c.context(\""
                + pipeline.name() + "-" + e.name() + "\"))").orElse(".circleci(c -> c.context(\"" + pipeline.name() + "-"
                + stage.name() + "\"))");
        if (contexts.isEmpty()) {
            throw new PipewrightException(where + ", but its job has no context, and CircleCI gives an OIDC token only"
                    + " to jobs with a context. Give " + owner + " a context of its own: " + fix + ".");
        }
        if (stage.environment().isEmpty()) {
            return;
        }
        String environment = stage.environment().get().name();
        Set<String> elsewhere = new HashSet<>();
        Set<String> sharing = new LinkedHashSet<>();
        for (Stage other : pipeline.stages()) {
            String theirs = other.environment().map(e -> e.name()).orElse(environment);
            if (!theirs.equals(environment)) {
                List<String> used = pipeline.circleciFor(other).contexts();
                elsewhere.addAll(used);
                if (used.stream().anyMatch(contexts::contains)) {
                    sharing.add(theirs);
                }
            }
        }
        if (elsewhere.containsAll(contexts)) {
            throw new PipewrightException(where + " with contexts " + contexts + ", which environment"
                    + (sharing.size() == 1 ? " " : "s ") + sharing + " also use: the role's trust policy could"
                    + " not tell the environments apart by context. Use a context in one environment only, and give"
                    + " every environment one of its own, such as " + sharing.stream().map(e -> "'" + pipeline.name()
                    + "-" + e + "'").collect(Collectors.joining(", ")) + " for " + sharing + ".");
        }
    }

    /**
     * The STS session length for a stage's timeout, in seconds: its timeout rounded up, within
     * AssumeRoleWithWebIdentity's limits of 15 minutes to 12 hours. A string, as the orb declares it.
     */
    static String sessionDuration(Duration timeout) {
        long seconds = timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0);
        return Long.toString(Math.max(MIN_SESSION_SECONDS, Math.min(MAX_SESSION_SECONDS, seconds)));
    }

    /** An STS session name: at most 64 characters of letters, digits and {@code =,.@-_}. */
    private String sessionName(Stage stage) {
        String name = (pipeline.name() + "-" + stage.name()).replaceAll("[^A-Za-z0-9=,.@_-]", "-");
        return name.length() <= 64 ? name : name.substring(0, 64);
    }

    private static void executor(CircleCiOptions.Executor executor, Map<String, Object> into) {
        if (executor instanceof CircleCiOptions.Docker d) {
            List<Object> images = new ArrayList<>();
            images.add(Map.of("image", d.image()));
            d.services().forEach(s -> images.add(Map.of("image", s)));
            into.put("docker", images);
        } else if (executor instanceof CircleCiOptions.Machine m) {
            into.put("machine", Map.of("image", m.image()));
        } else if (executor instanceof CircleCiOptions.Named n) {
            into.put("executor", n.name());
        }
    }

    /** The job's step {@code number} (from 1), {@code entry}; hooks carry their {@code when}. */
    private Object step(Stage stage, JobSteps.Entry entry, int number, String launcher) {
        Step step = entry.step();
        Map<String, Object> run;
        if (step instanceof ShellStep shell) {
            run = new LinkedHashMap<>();
            if (!shell.name().equals(ShellStep.of(shell.command()).name())) {
                run.put("name", shell.name()); // CircleCI names an unnamed step after its command too
            }
            run.put("command", shell.command());
            shell.shell().ifPresent(s -> run.put("shell", s));
            if (!shell.environment().isEmpty()) {
                run.put("environment", new LinkedHashMap<>(shell.environment()));
            }
            shell.workingDirectory().ifPresent(w -> run.put("working_directory", w));
        } else if (step instanceof OrbStep orb) {
            if (entry.when() != JobSteps.When.ON_SUCCESS) {
                throw new PipewrightException("Pipeline '" + pipeline.name() + "' cannot be exported to CircleCI: stage '"
                        + stage.name() + "' > " + entry.path() + " is an orb step, but CircleCI can only make run"
                        + " steps conditional (when: " + entry.when().yaml() + "). Use a shell or Java step there.");
            }
            return Map.of(orb.command(), new LinkedHashMap<>(orb.arguments()));
        } else {
            // Java steps and step types of other modules (a Lambda deploy) run through the launcher: the
            // job's Pipewright command line, which runs them with its plugins' handlers.
            run = new LinkedHashMap<>();
            run.put("name", (step instanceof JavaStep ? "java" : step.type()) + ": " + step.name());
            run.put("command", launcher + " step " + pipeline.name() + " " + stage.name() + " " + number);
        }
        if (entry.when() != JobSteps.When.ON_SUCCESS) {
            run.put("when", entry.when().yaml());
        }
        return Map.of("run", run);
    }

    private static Map<String, Object> run(String name, String command) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("name", name);
        run.put("command", command);
        return Map.of("run", run);
    }

    private static Map<String, Object> step(String name, String key, Object value) {
        return Map.of(name, Map.of(key, value));
    }

    private Map<String, Object> workflows() {
        Map<String, Object> workflows = new LinkedHashMap<>();
        List<Trigger> pushes = pipeline.triggers().stream().filter(t -> t.kind() == Trigger.Kind.PUSH).toList();
        if (!pushes.isEmpty()) {
            Optional<Filter> narrowing = pushes.size() == 1 && !pushes.get(0).equals(Trigger.push())
                    ? Optional.of(pushes.get(0).filter()) : Optional.empty();
            if (pushes.size() > 1) {
                narrowing = Optional.of(union(pushes));
            }
            Map<String, Object> workflow = new LinkedHashMap<>();
            workflow.put("jobs", workflowJobs(narrowing));
            workflows.put(pipeline.name(), workflow);
        }
        for (Trigger t : pipeline.triggers()) {
            if (t.kind() == Trigger.Kind.SCHEDULE) {
                Map<String, Object> schedule = new LinkedHashMap<>();
                schedule.put("cron", t.cron().orElseThrow());
                schedule.put("filters", FilterExport.of(List.of(t.filter())));
                Map<String, Object> workflow = new LinkedHashMap<>();
                workflow.put("triggers", List.of(Map.of("schedule", schedule)));
                workflow.put("jobs", workflowJobs(Optional.empty()));
                workflows.put(pipeline.name() + "-" + t.name().orElseThrow(), workflow);
            }
        }
        return workflows;
    }

    /** Several push triggers start the pipeline for what any of them accepts: one filter for all. */
    private static Filter union(List<Trigger> pushes) {
        List<String> branches = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (Trigger t : pushes) {
            branches.add("(?:" + FilterExport.regex(t.filter(), Ref.Kind.BRANCH) + ")");
            if (t.filter().hasTagFilter()) {
                tags.add("(?:" + FilterExport.regex(t.filter(), Ref.Kind.TAG) + ")");
            }
        }
        Filter.Builder b = Filter.builder().onlyBranches("/" + String.join("|", branches) + "/");
        if (!tags.isEmpty()) {
            b.onlyTags("/" + String.join("|", tags) + "/");
        }
        return b.build();
    }

    private List<Object> workflowJobs(Optional<Filter> narrowing) {
        List<Object> entries = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        pipeline.stages().forEach(s -> taken.add(s.name()));
        for (Stage stage : pipeline.stages()) {
            List<Filter> filters = new ArrayList<>(stage.filters());
            narrowing.ifPresent(filters::add);
            Map<String, Object> filterMap = FilterExport.of(filters);
            List<String> requires = new ArrayList<>(stage.needs());
            for (Gate gate : stage.gates()) {
                if (gate.isManualApproval()) {
                    String name = approvalJobName(stage, gate, taken);
                    Map<String, Object> approval = new LinkedHashMap<>();
                    approval.put("type", "approval");
                    if (!requires.isEmpty()) {
                        approval.put("requires", List.copyOf(requires));
                    }
                    if (!filterMap.isEmpty()) {
                        approval.put("filters", filterMap);
                    }
                    entries.add(Map.of(name, approval));
                    requires = new ArrayList<>(List.of(name)); // the approval already waits for the needs
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            List<String> contexts = pipeline.circleciFor(stage).contexts();
            if (!contexts.isEmpty()) {
                body.put("context", contexts);
            }
            if (!requires.isEmpty()) {
                body.put("requires", List.copyOf(new LinkedHashSet<>(requires)));
            }
            if (!filterMap.isEmpty()) {
                body.put("filters", filterMap);
            }
            entries.add(Map.of(stage.name(), body));
        }
        return entries;
    }

    /** The gate's name, or {@code approve-<stage>} for the default name; made unique with the stage's name. */
    private static String approvalJobName(Stage stage, Gate gate, Set<String> taken) {
        String name = gate.name().equals(Gate.DEFAULT_APPROVAL_NAME) ? "approve-" + stage.name() : gate.name();
        if (!taken.add(name)) {
            name = gate.name() + "-" + stage.name();
            for (int i = 2; !taken.add(name); i++) {
                name = gate.name() + "-" + stage.name() + "-" + i;
            }
        }
        return name;
    }
}
