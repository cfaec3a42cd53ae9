package dev.pipewright.circleci;

import com.google.common.collect.ImmutableMap;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Writes the Java code that builds each value of the CircleCI model, through the model's own
 * factories and builders: {@code CircleCiStep.run("npm ci")}, {@code Job.builder()...build()}.
 *
 * <p>The code is written from the typed fields; which keys a value has comes from its data, so
 * that a list or map set empty is set empty again. Kept keys ({@code extra}) become
 * {@code putExtra} calls with plain data: ordered maps ({@link ImmutableMap}, which keeps the
 * order the YAML had), lists and scalars.
 *
 * <p>Values used more than once can be {@linkplain #share shared}: steps, Docker images, filters,
 * environments and long strings. A first pass {@linkplain #counting counts} them; {@link #choose}
 * picks those worth a constant; the last pass writes a reference to the constant and collects the
 * {@linkplain #fields() fields}. While a {@link Substitution} is set (a method shared by
 * near-identical jobs), the strings it names become expressions of the method's parameters.
 *
 * <p>Not thread-safe: one instance writes one source file.
 */
final class ImportCode {
    static final ClassName CIRCLECI_STEP = ClassName.get(CircleCiStep.class);
    static final ClassName IMMUTABLE_MAP = ClassName.get(ImmutableMap.class);
    static final ClassName LOCALE = ClassName.get(Locale.class);
    private static final ClassName LIST = ClassName.get(List.class);
    private static final ClassName MAP = ClassName.get(Map.class);
    private static final ClassName ARRAYS = ClassName.get(Arrays.class);
    private static final ClassName COLLECTIONS = ClassName.get(Collections.class);
    private static final ClassName BIG_INTEGER = ClassName.get(BigInteger.class);
    private static final ClassName VERSION = ClassName.get(Version.class);
    private static final ClassName INTERPOLABLE = ClassName.get(Interpolable.class);

    /** The factories of {@link CircleCiStep}, imported statically: steps read {@code run("make")}. */
    static final List<String> STEP_FACTORIES = List.of("run", "deploy", "checkout", "setupRemoteDocker",
            "saveCache", "restoreCache", "storeArtifacts", "storeTestResults", "persistToWorkspace",
            "attachWorkspace", "addSshKeys", "when", "unless", "command", "expand");

    /** The length of entries an {@code ImmutableMap.of(...)} holds at most; a longer map uses its builder, an entry a line. */
    private static final int SHORT_MAP = 60;

    /** The name of the helper method the source gets when plain data holds a map with null values. */
    static final String NULLABLE_MAP = "mapWithNulls";

    /** Kinds of values that can be shared as constants. */
    enum Kind { STEP, DOCKER_IMAGE, FILTERS, ENVIRONMENT, STRING }

    /** A value that can be shared: equal candidates are the same constant. */
    record Candidate(Kind kind, Object value) {
    }

    /** Strings of the values written, turned into expressions; see {@link ImportFamilies}. */
    interface Substitution {
        /** The expression for {@code value}, or null when it stays a literal. */
        @Nullable CodeBlock expression(String value);

        /** Whether {@code value} is one of the strings replaced. */
        boolean replaces(String value);
    }

    private final Map<Candidate, Integer> counts = new LinkedHashMap<>();
    private Map<Candidate, String> chosen = Map.of();
    private final Map<Candidate, FieldSpec> fields = new LinkedHashMap<>();
    private final Map<Candidate, String> hints = new LinkedHashMap<>();
    private final ImportAnchors anchors;
    private boolean counting;
    private @Nullable Substitution substitution;
    private boolean usesNullableMap;
    private final ImportEnvironments environments;

    /** A writer; constants take the names of the YAML anchors of their values. */
    ImportCode(ImportAnchors anchors) {
        this(anchors, ImportEnvironments.NONE);
    }

    /** A writer that places workflow entries in {@code environments} where they run as those place them. */
    ImportCode(ImportAnchors anchors, ImportEnvironments environments) {
        this.anchors = anchors;
        this.environments = environments;
    }

    /** Starts counting shared values; see {@link #counts()}. */
    void counting() {
        counting = true;
    }

    /** How often each shareable value was written since {@link #counting()}, in order of first use. */
    Map<Candidate, Integer> counts() {
        return Collections.unmodifiableMap(counts);
    }

    /** The name hint of each candidate counted: the key it was first written under. */
    Map<Candidate, String> hints() {
        return Collections.unmodifiableMap(hints);
    }

    /** Shares these values as constants of these names. */
    void choose(Map<Candidate, String> constants) {
        this.chosen = new LinkedHashMap<>(constants);
    }

    /** The constants written so far, each declared before its first use by another. */
    List<FieldSpec> fields() {
        return List.copyOf(fields.values());
    }

    /** Whether the code calls the {@link #NULLABLE_MAP} helper. */
    boolean usesNullableMap() {
        return usesNullableMap;
    }

    /** Writes what {@code body} writes with {@code strings} replaced, then stops replacing. */
    CodeBlock substituting(Substitution strings, Supplier<CodeBlock> body) {
        Substitution previous = substitution;
        substitution = strings;
        try {
            return body.get();
        } finally {
            substitution = previous;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Sections of a configuration

    /** {@code Job.builder()...build()}. */
    CodeBlock job(Job job) {
        Map<String, @Nullable Object> data = job.toData();
        Calls c = new Calls();
        job.type().ifPresent(t -> c.add("type", "$T.$L", JobType.class, t.name()));
        job.description().ifPresent(d -> c.add("description", text(d, "description")));
        parameters(c, data, job.parameters());
        job.executor().ifPresent(e -> c.add(executor(e)));
        docker(c, data, job.docker());
        job.machine().ifPresent(m -> c.add("machine", machine(m)));
        job.macos().ifPresent(m -> c.add("macos", macos(m)));
        job.resourceClass().ifPresent(r -> c.add("resourceClass", text(r, "resource_class")));
        job.shell().ifPresent(s -> c.add("shell", text(s, "shell")));
        job.workingDirectory().ifPresent(w -> c.add("workingDirectory", text(w, "working_directory")));
        job.environment().ifPresent(e -> environment(c, e));
        job.parallelism().ifPresent(p -> c.add(integer("parallelism", p)));
        steps(c, data, "steps", "addStep", job.steps());
        job.circleciIpRanges().ifPresent(b -> c.add(flag("circleciIpRanges", b)));
        job.retention().ifPresent(r -> c.add("retention", retention(r)));
        job.branches().ifPresent(b -> c.add("branches", patterns(b)));
        job.planName().ifPresent(p -> c.add("planName", text(p, "plan_name")));
        job.key().ifPresent(k -> c.add("key", text(k, "key")));
        extra(c, job.extra());
        return c.built(Job.class);
    }

    /** {@code Command.builder()...build()}. */
    CodeBlock command(Command command) {
        Map<String, @Nullable Object> data = command.toData();
        Calls c = new Calls();
        command.description().ifPresent(d -> c.add("description", text(d, "description")));
        parameters(c, data, command.parameters());
        steps(c, data, "steps", "addStep", command.steps());
        extra(c, command.extra());
        return c.built(Command.class);
    }

    /** {@code Executor.builder()...build()}, and how many calls it makes. */
    Calls executorCalls(Executor executor) {
        Map<String, @Nullable Object> data = executor.toData();
        Calls c = new Calls();
        executor.description().ifPresent(d -> c.add("description", text(d, "description")));
        parameters(c, data, executor.parameters());
        docker(c, data, executor.docker());
        executor.machine().ifPresent(m -> c.add("machine", machine(m)));
        executor.macos().ifPresent(m -> c.add("macos", macos(m)));
        executor.resourceClass().ifPresent(r -> c.add("resourceClass", text(r, "resource_class")));
        executor.shell().ifPresent(s -> c.add("shell", text(s, "shell")));
        executor.workingDirectory().ifPresent(w -> c.add("workingDirectory", text(w, "working_directory")));
        executor.environment().ifPresent(e -> environment(c, e));
        extra(c, executor.extra());
        return c;
    }

    /** {@code Workflow.builder()...build()}. */
    CodeBlock workflow(Workflow workflow) {
        Map<String, @Nullable Object> data = workflow.toData();
        Calls c = new Calls();
        workflow.when().ifPresent(w -> c.add("when", condition(w)));
        workflow.unless().ifPresent(u -> c.add("unless", condition(u)));
        workflow.triggers().forEach(t -> c.add("addTrigger", trigger(t)));
        if (data.get("triggers") instanceof List<?> l && l.isEmpty()) {
            c.add("triggers", "$T.of()", LIST);
        }
        workflow.maxAutoReruns().ifPresent(m -> c.add(integer("maxAutoReruns", m)));
        workflowJobs(c, data, workflow.jobs());
        extra(c, workflow.extra());
        return c.built(Workflow.class);
    }

    /** {@code JobGroup.builder()...build()}. */
    CodeBlock jobGroup(JobGroup group) {
        Calls c = new Calls();
        workflowJobs(c, group.toData(), group.jobs());
        extra(c, group.extra());
        return c.built(JobGroup.class);
    }

    /** {@code Parameter.of(type)} or {@code Parameter.builder()...build()}. */
    CodeBlock parameter(Parameter parameter) {
        if (parameter.type().isPresent() && parameter.toData().size() == 1) {
            return CodeBlock.of("$T.of($T.$L)", Parameter.class, ParameterType.class, parameter.type().get().name());
        }
        Calls c = new Calls();
        parameter.type().ifPresent(t -> c.add("type", "$T.$L", ParameterType.class, t.name()));
        parameter.defaultValue().ifPresent(d -> c.add("defaultValue", d instanceof List<?> steps
                ? list(steps.stream().map(s -> step((CircleCiStep) s)).toList(), false) : data(d, "default")));
        parameter.description().ifPresent(d -> c.add("description", text(d, "description")));
        if (parameter.toData().containsKey("enum")) {
            c.add("enumValues", strings(parameter.enumValues(), "enum"));
        }
        extra(c, parameter.extra());
        return c.built(Parameter.class);
    }

    /** {@code Orb.reference("ns/name@1")} or an inline orb's builder. */
    CodeBlock orb(Orb orb) {
        if (orb instanceof OrbReference r) {
            return CodeBlock.of("$T.reference($L)", Orb.class, text(r.reference(), "orb"));
        }
        InlineOrb inline = (InlineOrb) orb;
        Map<String, @Nullable Object> data = inline.toData();
        Calls c = new Calls();
        inline.version().ifPresent(v -> c.add("version", version(v)));
        inline.description().ifPresent(d -> c.add("description", text(d, "description")));
        section(c, data, "orbs", "orbs", "putOrb", inline.orbs(), this::orb);
        section(c, data, "commands", "commands", "putCommand", inline.commands(), this::command);
        section(c, data, "executors", "executors", "putExecutor", inline.executors(),
                e -> executorCalls(e).built(Executor.class));
        section(c, data, "jobs", "jobs", "putJob", inline.jobs(), this::job);
        extra(c, inline.extra());
        return c.built(InlineOrb.class);
    }

    /** One {@code putX(name, value)} per entry, or {@code x(Map.of())} for a section set empty. */
    <T> void section(Calls c, Map<String, @Nullable Object> data, String key, String replace, String put,
            Map<String, T> values, Function<T, CodeBlock> code) {
        if (data.get(key) instanceof Map<?, ?> m && m.isEmpty()) {
            c.add(replace, "$T.of()", MAP);
        }
        values.forEach((name, value) -> c.add(put, "$S, $L", name, code.apply(value)));
    }

    /** A version: {@code Version.V2_1}, {@code Version.number("2")} or {@code Version.string("2.1")}. */
    CodeBlock version(Version version) {
        if (version.equals(Version.V2_1)) {
            return CodeBlock.of("$T.V2_1", VERSION);
        }
        return CodeBlock.of("$T.$L($S)", VERSION, version.number() ? "number" : "string", version.text());
    }

    // ---------------------------------------------------------------------------------------------
    // Fields of jobs, executors and commands

    private void parameters(Calls c, Map<String, @Nullable Object> data, Map<String, Parameter> parameters) {
        if (data.get("parameters") instanceof Map<?, ?> m && m.isEmpty()) {
            c.add("parameters", "$T.of()", MAP);
        }
        parameters.forEach((name, p) -> c.add("putParameter", "$S, $L", name, parameter(p)));
    }

    private CodeBlock executor(ExecutorReference reference) {
        if (!reference.isMapping()) {
            return call("executor", CodeBlock.of("$S", reference.name()));
        }
        return call("executor", CodeBlock.of("$T.of($S, $L)", ExecutorReference.class, reference.name(),
                map(reference.arguments(), "argument")));
    }

    private void docker(Calls c, Map<String, @Nullable Object> data, List<DockerImage> images) {
        if (data.get("docker") instanceof List<?> l && l.isEmpty()) {
            c.add("docker", "$T.of()", LIST);
        }
        for (DockerImage image : images) {
            if (image.image().isPresent() && image.toData().size() == 1) {
                c.add("addDocker", text(image.image().get(), "image"));
            } else {
                c.add("addDocker", share(new Candidate(Kind.DOCKER_IMAGE, image), image.toData(),
                        () -> dockerImage(image), "image"));
            }
        }
    }

    private CodeBlock dockerImage(DockerImage image) {
        Calls c = new Calls();
        image.image().ifPresent(i -> c.add("image", text(i, "image")));
        image.name().ifPresent(n -> c.add("name", text(n, "name")));
        image.entrypoint().ifPresent(e -> c.add("entrypoint", stringOrStrings(e, "entrypoint")));
        image.command().ifPresent(e -> c.add("command", stringOrStrings(e, "command")));
        image.user().ifPresent(u -> c.add("user", text(u, "user")));
        image.environment().ifPresent(e -> environment(c, e));
        image.auth().ifPresent(a -> c.add("auth", a.extra().isEmpty()
                ? CodeBlock.of("$T.of($L, $L)", DockerAuth.class, text(a.username(), "username"),
                        text(a.password(), "password"))
                : CodeBlock.of("new $T($L, $L, $L)", DockerAuth.class, text(a.username(), "username"),
                        text(a.password(), "password"), map(a.extra(), "auth"))));
        image.awsAuth().ifPresent(a -> c.add("awsAuth", awsAuth(a)));
        extra(c, image.extra());
        return c.built(DockerImage.class);
    }

    private CodeBlock stringOrStrings(Object value, String role) {
        return value instanceof String s ? text(s, role) : strings(stringList(value), role);
    }

    private static List<String> stringList(Object value) {
        List<String> out = new ArrayList<>();
        ((List<?>) value).forEach(i -> out.add((String) i));
        return out;
    }

    private CodeBlock awsAuth(AwsAuth auth) {
        Map<String, @Nullable Object> data = auth.toData();
        if (auth.extra().isEmpty() && data.size() == 1 && auth.oidcRoleArn().isPresent()) {
            return CodeBlock.of("$T.oidcRole($L)", AwsAuth.class, text(auth.oidcRoleArn().get(), "oidc_role_arn"));
        }
        if (auth.extra().isEmpty() && data.size() == 2 && auth.accessKeyId().isPresent()
                && auth.secretAccessKey().isPresent()) {
            return CodeBlock.of("$T.accessKeys($L, $L)", AwsAuth.class, text(auth.accessKeyId().get(), "key_id"),
                    text(auth.secretAccessKey().get(), "secret_key"));
        }
        Calls c = new Calls();
        auth.accessKeyId().ifPresent(k -> c.add("accessKeyId", text(k, "key_id")));
        auth.secretAccessKey().ifPresent(k -> c.add("secretAccessKey", text(k, "secret_key")));
        auth.oidcRoleArn().ifPresent(k -> c.add("oidcRoleArn", text(k, "oidc_role_arn")));
        extra(c, auth.extra());
        return c.built(AwsAuth.class);
    }

    private CodeBlock machine(Machine machine) {
        if (machine.shorthand().isPresent()) {
            return machine.shorthand().get().equals(Interpolable.of(true))
                    ? CodeBlock.of("$T.defaultImage()", Machine.class)
                    : CodeBlock.of("$T.builder().shorthand($L).build()", Machine.class,
                            interpolable(machine.shorthand().get()));
        }
        if (machine.image().isPresent() && machine.toValue() instanceof Map<?, ?> m && m.size() == 1) {
            return CodeBlock.of("$T.image($L)", Machine.class, text(machine.image().get(), "image"));
        }
        Calls c = new Calls();
        machine.image().ifPresent(i -> c.add("image", text(i, "image")));
        machine.dockerLayerCaching().ifPresent(d -> c.add(flag("dockerLayerCaching", d)));
        machine.resourceClass().ifPresent(r -> c.add("resourceClass", text(r, "resource_class")));
        machine.shell().ifPresent(s -> c.add("shell", text(s, "shell")));
        machine.enabled().ifPresent(e -> c.add(flag("enabled", e)));
        extra(c, machine.extra());
        return c.built(Machine.class);
    }

    private CodeBlock macos(MacOs macos) {
        if (macos.xcode().isPresent() && macos.toData().size() == 1) {
            return CodeBlock.of("$T.xcode($L)", MacOs.class, version(macos.xcode().get()));
        }
        Calls c = new Calls();
        macos.xcode().ifPresent(x -> c.add("xcode", version(x)));
        macos.resourceClass().ifPresent(r -> c.add("resourceClass", text(r, "resource_class")));
        macos.shell().ifPresent(s -> c.add("shell", text(s, "shell")));
        extra(c, macos.extra());
        return c.built(MacOs.class);
    }

    private CodeBlock retention(Retention retention) {
        return retention.extra().isEmpty()
                ? CodeBlock.of("$T.caches($L)", Retention.class, text(retention.caches(), "caches"))
                : CodeBlock.of("new $T($L, $L)", Retention.class, text(retention.caches(), "caches"),
                        map(retention.extra(), "retention"));
    }

    /**
     * An environment: a mapping as {@code putEnvironment} calls in order (or a shared constant), a
     * list or text through its factory.
     */
    private void environment(Calls c, EnvironmentVariables environment) {
        if (environment instanceof EnvironmentVariables.Mapping m && !m.values().isEmpty()) {
            Candidate candidate = new Candidate(Kind.ENVIRONMENT, environment);
            if (m.values().size() > 1 && shared(candidate, m.values())) {
                c.add("environment", share(candidate, m.values(), () -> environmentValue(environment), "environment"));
                return;
            }
            m.values().forEach((name, value) -> c.add("putEnvironment", "$S, $L", name, data(value, name)));
            return;
        }
        c.add("environment", environmentValue(environment));
    }

    /** Whether {@code candidate} is written as a constant. */
    private boolean shared(Candidate candidate, Object data) {
        return counting || (chosen.containsKey(candidate) && !substituted(data));
    }

    private CodeBlock environmentValue(EnvironmentVariables environment) {
        if (environment instanceof EnvironmentVariables.Mapping m) {
            return CodeBlock.of("$T.of($L)", EnvironmentVariables.class, map(m.values(), "environment"));
        }
        if (environment instanceof EnvironmentVariables.Assignments a) {
            return CodeBlock.of("$T.assignments($L)", EnvironmentVariables.class, strings(a.assignments(), "environment"));
        }
        return CodeBlock.of("$T.text($L)", EnvironmentVariables.class,
                text(((EnvironmentVariables.Text) environment).text(), "environment"));
    }

    /** One {@code add(step)} per step, or {@code replace(List.of())} for a list set empty. */
    private void steps(Calls c, Map<String, @Nullable Object> data, String replace, String add,
            List<CircleCiStep> steps) {
        if (data.get(stepsKey(replace)) instanceof List<?> l && l.isEmpty()) {
            c.add(replace, "$T.of()", LIST);
        }
        steps.forEach(s -> c.add(add, step(s)));
    }

    private static String stepsKey(String replace) {
        return switch (replace) {
            case "preSteps" -> "pre-steps";
            case "postSteps" -> "post-steps";
            default -> replace;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Steps

    /** A step, through {@link CircleCiStep}'s factories where they fit, else its builder. */
    CodeBlock step(CircleCiStep step) {
        return share(new Candidate(Kind.STEP, step), Steps.toData(step), () -> stepValue(step), "step");
    }

    private CodeBlock stepValue(CircleCiStep step) {
        if (step instanceof RunStep s) {
            return run(s);
        } else if (step instanceof DeployStep s) {
            CodeBlock run = run(s.run());
            return s.run().toData().get("run") instanceof Map<?, ?> body && body.size() == 1
                    && s.run().command().isPresent()
                    ? CodeBlock.of("$T.deploy($L)", CIRCLECI_STEP, text(s.run().command().get(), "command"))
                    : CodeBlock.of("$T.of($L)", DeployStep.class, run);
        } else if (step instanceof CheckoutStep s) {
            return checkout(s);
        } else if (step instanceof SetupRemoteDockerStep s) {
            return setupRemoteDocker(s);
        } else if (step instanceof SaveCacheStep s) {
            return saveCache(s);
        } else if (step instanceof RestoreCacheStep s) {
            return restoreCache(s);
        } else if (step instanceof StoreArtifactsStep s) {
            return storeArtifacts(s);
        } else if (step instanceof StoreTestResultsStep s) {
            return storeTestResults(s);
        } else if (step instanceof PersistToWorkspaceStep s) {
            return persistToWorkspace(s);
        } else if (step instanceof AttachWorkspaceStep s) {
            return attachWorkspace(s);
        } else if (step instanceof AddSshKeysStep s) {
            return addSshKeys(s);
        } else if (step instanceof ConditionalStep s) {
            return conditional(s);
        } else if (step instanceof CommandStep s) {
            return s.arguments().isEmpty() ? CodeBlock.of("$T.command($S)", CIRCLECI_STEP, s.name())
                    : CodeBlock.of("$T.command($S, $L)", CIRCLECI_STEP, s.name(), map(s.arguments(), "argument"));
        } else if (step instanceof ParameterExpansionStep s) {
            return s.keyed() ? CodeBlock.of("$T.keyed($S)", ParameterExpansionStep.class, s.expression())
                    : CodeBlock.of("$T.expand($S)", CIRCLECI_STEP, s.expression());
        }
        return CodeBlock.of("$T.of($L)", UnknownStep.class, data(((UnknownStep) step).data(), "step"));
    }

    /** The keys of a step's body, from its data {@code {name: body}}. */
    private static Map<?, ?> body(Map<String, @Nullable Object> data) {
        return (Map<?, ?>) data.values().iterator().next();
    }

    private static boolean hasOnly(Map<?, ?> body, String... keys) {
        return body.size() == keys.length && body.keySet().containsAll(List.of(keys));
    }

    private CodeBlock run(RunStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "command")) {
            return CodeBlock.of("$T.run($L)", CIRCLECI_STEP, text(s.command().orElseThrow(), "command"));
        }
        if (hasOnly(body, "command", "name")) {
            return CodeBlock.of("$T.run($L, $L)", CIRCLECI_STEP, text(s.name().orElseThrow(), "name"),
                    text(s.command().orElseThrow(), "command"));
        }
        Calls c = new Calls();
        s.name().ifPresent(n -> c.add("name", text(n, "name")));
        s.command().ifPresent(n -> c.add("command", text(n, "command")));
        s.shell().ifPresent(n -> c.add("shell", text(n, "shell")));
        s.environment().ifPresent(e -> environment(c, e));
        s.background().ifPresent(b -> c.add(flag("background", b)));
        s.workingDirectory().ifPresent(n -> c.add("workingDirectory", text(n, "working_directory")));
        s.noOutputTimeout().ifPresent(n -> c.add("noOutputTimeout", text(n, "no_output_timeout")));
        s.when().ifPresent(n -> c.add("when", text(n, "when")));
        s.maxAutoReruns().ifPresent(m -> c.add(integer("maxAutoReruns", m)));
        s.autoRerunDelay().ifPresent(n -> c.add("autoRerunDelay", text(n, "auto_rerun_delay")));
        extra(c, s.extra());
        return c.built(RunStep.class);
    }

    private CodeBlock checkout(CheckoutStep s) {
        if (body(s.toData()).isEmpty()) {
            return CodeBlock.of("$T.checkout()", CIRCLECI_STEP);
        }
        Calls c = new Calls();
        s.path().ifPresent(p -> c.add("path", text(p, "path")));
        s.method().ifPresent(p -> c.add("method", text(p, "method")));
        s.depth().ifPresent(d -> c.add(integer("depth", d)));
        extra(c, s.extra());
        return c.built(CheckoutStep.class);
    }

    private CodeBlock setupRemoteDocker(SetupRemoteDockerStep s) {
        if (body(s.toData()).isEmpty()) {
            return CodeBlock.of("$T.setupRemoteDocker()", CIRCLECI_STEP);
        }
        Calls c = new Calls();
        s.version().ifPresent(v -> c.add("version", version(v)));
        s.dockerLayerCaching().ifPresent(d -> c.add(flag("dockerLayerCaching", d)));
        extra(c, s.extra());
        return c.built(SetupRemoteDockerStep.class);
    }

    private CodeBlock saveCache(SaveCacheStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "key", "paths")) {
            return CodeBlock.of("$T.saveCache($L, $L)", CIRCLECI_STEP, text(s.key().orElseThrow(), "key"),
                    strings(s.paths(), "path"));
        }
        Calls c = new Calls();
        s.name().ifPresent(n -> c.add("name", text(n, "name")));
        s.key().ifPresent(n -> c.add("key", text(n, "key")));
        if (body.containsKey("paths")) {
            c.add("paths", strings(s.paths(), "path"));
        }
        s.when().ifPresent(n -> c.add("when", text(n, "when")));
        extra(c, s.extra());
        return c.built(SaveCacheStep.class);
    }

    private CodeBlock restoreCache(RestoreCacheStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "key")) {
            return CodeBlock.of("$T.restoreCache($L)", CIRCLECI_STEP, text(s.key().orElseThrow(), "key"));
        }
        if (hasOnly(body, "keys")) {
            return CodeBlock.of("$T.restoreCache($L)", CIRCLECI_STEP, strings(s.keys(), "key"));
        }
        Calls c = new Calls();
        s.name().ifPresent(n -> c.add("name", text(n, "name")));
        s.key().ifPresent(n -> c.add("key", text(n, "key")));
        if (body.containsKey("keys")) {
            c.add("keys", strings(s.keys(), "key"));
        }
        extra(c, s.extra());
        return c.built(RestoreCacheStep.class);
    }

    private CodeBlock storeArtifacts(StoreArtifactsStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "path")) {
            return CodeBlock.of("$T.storeArtifacts($L)", CIRCLECI_STEP, text(s.path().orElseThrow(), "path"));
        }
        Calls c = new Calls();
        s.name().ifPresent(n -> c.add("name", text(n, "name")));
        s.path().ifPresent(n -> c.add("path", text(n, "path")));
        s.destination().ifPresent(n -> c.add("destination", text(n, "destination")));
        extra(c, s.extra());
        return c.built(StoreArtifactsStep.class);
    }

    private CodeBlock storeTestResults(StoreTestResultsStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "path")) {
            return CodeBlock.of("$T.storeTestResults($L)", CIRCLECI_STEP, text(s.path().orElseThrow(), "path"));
        }
        Calls c = new Calls();
        s.name().ifPresent(n -> c.add("name", text(n, "name")));
        s.path().ifPresent(n -> c.add("path", text(n, "path")));
        extra(c, s.extra());
        return c.built(StoreTestResultsStep.class);
    }

    private CodeBlock persistToWorkspace(PersistToWorkspaceStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "root", "paths")) {
            return CodeBlock.of("$T.persistToWorkspace($L, $L)", CIRCLECI_STEP, text(s.root().orElseThrow(), "root"),
                    strings(s.paths(), "path"));
        }
        Calls c = new Calls();
        s.name().ifPresent(n -> c.add("name", text(n, "name")));
        s.root().ifPresent(n -> c.add("root", text(n, "root")));
        if (body.containsKey("paths")) {
            c.add("paths", strings(s.paths(), "path"));
        }
        extra(c, s.extra());
        return c.built(PersistToWorkspaceStep.class);
    }

    private CodeBlock attachWorkspace(AttachWorkspaceStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "at")) {
            return CodeBlock.of("$T.attachWorkspace($L)", CIRCLECI_STEP, text(s.at().orElseThrow(), "at"));
        }
        Calls c = new Calls();
        s.name().ifPresent(n -> c.add("name", text(n, "name")));
        s.at().ifPresent(n -> c.add("at", text(n, "at")));
        extra(c, s.extra());
        return c.built(AttachWorkspaceStep.class);
    }

    private CodeBlock addSshKeys(AddSshKeysStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "fingerprints")) {
            return CodeBlock.of("$T.addSshKeys($L)", CIRCLECI_STEP, strings(s.fingerprints(), "fingerprint"));
        }
        Calls c = new Calls();
        s.name().ifPresent(n -> c.add("name", text(n, "name")));
        if (body.containsKey("fingerprints")) {
            c.add("fingerprints", strings(s.fingerprints(), "fingerprint"));
        }
        extra(c, s.extra());
        return c.built(AddSshKeysStep.class);
    }

    private CodeBlock conditional(ConditionalStep s) {
        Map<?, ?> body = body(s.toData());
        if (hasOnly(body, "condition", "steps")) {
            return CodeBlock.of("$T.$L($L, $L)", CIRCLECI_STEP, s.isUnless() ? "unless" : "when",
                    condition(s.condition().orElseThrow()), list(s.steps().stream().map(this::step).toList(), false));
        }
        Calls c = new Calls();
        if (s.isUnless()) {
            c.add("unless", CodeBlock.of(""));
        }
        s.condition().ifPresent(d -> c.add("condition", condition(d)));
        if (body.containsKey("steps")) {
            c.add("steps", list(s.steps().stream().map(this::step).toList(), false));
        }
        extra(c, s.extra());
        return c.built(ConditionalStep.class);
    }

    /** A logic statement: {@code Condition.and(...)}, {@code Condition.equal("main", "<< pipeline.git.branch >>")}. */
    CodeBlock condition(Condition condition) {
        ClassName type = ClassName.get(Condition.class);
        if (condition instanceof Condition.And a) {
            return CodeBlock.of("$T.and($L)", type, join(a.statements().stream().map(this::condition).toList()));
        } else if (condition instanceof Condition.Or o) {
            return CodeBlock.of("$T.or($L)", type, join(o.statements().stream().map(this::condition).toList()));
        } else if (condition instanceof Condition.Not n) {
            return CodeBlock.of("$T.not($L)", type, condition(n.statement()));
        } else if (condition instanceof Condition.Equal e) {
            // equal(...) takes plain values as literals; a null, list or map literal stays a Condition.
            return CodeBlock.of("$T.equal($L)", type, join(e.values().stream().map(v -> v instanceof Condition.Literal l
                    && PlainData.isScalar(l.value()) ? data(l.value(), "condition") : condition(v)).toList()));
        } else if (condition instanceof Condition.Matches m) {
            return CodeBlock.of("$T.matches($L, $L)", type, text(m.pattern(), "pattern"), text(m.value(), "value"));
        }
        return CodeBlock.of("$T.literal($L)", type, data(((Condition.Literal) condition).value(), "condition"));
    }

    // ---------------------------------------------------------------------------------------------
    // Workflows

    private void workflowJobs(Calls c, Map<String, @Nullable Object> data, List<WorkflowJob> jobs) {
        if (data.get("jobs") instanceof List<?> l && l.isEmpty()) {
            c.add("jobs", "$T.of()", LIST);
        }
        for (WorkflowJob job : jobs) {
            Map<?, ?> body = (Map<?, ?>) job.toData().get(job.job());
            if (body.isEmpty()) {
                c.add("addJob", "$S", job.job());
            } else {
                c.add("addJob", workflowJob(job, body));
            }
        }
    }

    private CodeBlock workflowJob(WorkflowJob job, Map<?, ?> body) {
        ImportEnvironments.Usage usage = environments.usage(job);
        Calls c = new Calls();
        job.name().ifPresent(n -> c.add("name", text(n, "name")));
        if (body.get("requires") instanceof List<?> l && l.isEmpty()) {
            c.add("requires", "$T.of()", LIST);
        }
        for (Requirement r : job.requires()) {
            if (r.status().isPresent()) {
                c.add("addRequirement", "$T.of($S, $T.$L)", Requirement.class, r.job(), JobStatus.class,
                        r.status().get().name());
            } else if (r.isStatusList()) {
                c.add("addRequirement", "$T.of($S, $L)", Requirement.class, r.job(), list(r.statuses().stream()
                        .map(s -> CodeBlock.of("$T.$L", JobStatus.class, s.name())).toList(), false));
            } else {
                c.add("addRequires", "$S", r.job());
            }
        }
        if (body.get("context") instanceof List<?> l && l.isEmpty()) {
            c.add("context", "$T.of()", LIST);
        }
        if (usage != null && usage.approval()) {
            // the environment's approval: its name, type and filters come from the environment
            job.context().forEach(x -> c.add("addContext", text(x, "context")));
        } else {
            List<String> contexts = job.context();
            int from = usage == null ? -1 : usage.contextIndex();
            int to = usage == null ? -1 : from + usage.environment().contexts().size();
            for (int i = 0; i <= contexts.size(); i++) {
                if (i == from) {
                    c.add("environment", "$N", usage.environment().constant());
                }
                if (i < contexts.size() && (i < from || i >= to)) {
                    c.add("addContext", text(contexts.get(i), "context"));
                }
            }
            job.type().ifPresent(t -> c.add("type", "$T.$L", JobType.class, t.name()));
            if (usage == null) {
                job.filters().ifPresent(f -> c.add("filters", filters(f)));
            }
        }
        job.matrix().ifPresent(m -> c.add("matrix", matrix(m)));
        steps(c, body.get("pre-steps") instanceof List<?> l && l.isEmpty() ? Map.of("pre-steps", l) : Map.of(),
                "preSteps", "addPreStep", job.preSteps());
        steps(c, body.get("post-steps") instanceof List<?> l && l.isEmpty() ? Map.of("post-steps", l) : Map.of(),
                "postSteps", "addPostStep", job.postSteps());
        job.serialGroup().ifPresent(s -> c.add("serialGroup", text(s, "serial_group")));
        job.overrideWith().ifPresent(s -> c.add("overrideWith", text(s, "override_with")));
        job.arguments().forEach((name, value) -> c.add("putArgument", "$S, $L", name, data(value, name)));
        extra(c, job.extra());
        return c.built(usage != null && usage.approval()
                ? CodeBlock.of("$T.approval($N)", WorkflowJob.class, usage.environment().constant())
                : CodeBlock.of("$T.builder($S)", WorkflowJob.class, job.job()));
    }

    /** Filters: {@code Filters.branches(Patterns.only("main"))}, a builder, or an expression. */
    CodeBlock filters(Filters filters) {
        return share(new Candidate(Kind.FILTERS, filters), FieldWriter.data(filters), () -> filtersValue(filters),
                "filters");
    }

    private CodeBlock filtersValue(Filters filters) {
        if (filters instanceof ExpressionFilter e) {
            return CodeBlock.of("$T.expression($L)", Filters.class, text(e.expression(), "filter"));
        }
        PatternFilters p = (PatternFilters) filters;
        Map<String, @Nullable Object> data = p.toData();
        if (hasOnly(data, "branches") && p.branches().isPresent()) {
            return CodeBlock.of("$T.branches($L)", Filters.class, patterns(p.branches().get()));
        }
        if (hasOnly(data, "tags") && p.tags().isPresent()) {
            return CodeBlock.of("$T.tags($L)", Filters.class, patterns(p.tags().get()));
        }
        Calls c = new Calls();
        p.branches().ifPresent(b -> c.add("branches", patterns(b)));
        p.tags().ifPresent(b -> c.add("tags", patterns(b)));
        extra(c, p.extra());
        return c.built(PatternFilters.class);
    }

    /** {@code Patterns.only("main", "/release-.+/")} or a builder. */
    CodeBlock patterns(Patterns patterns) {
        Map<String, @Nullable Object> data = patterns.toData();
        if (hasOnly(data, "only")) {
            return CodeBlock.of("$T.only($L)", Patterns.class, join(texts(patterns.only(), "pattern")));
        }
        if (hasOnly(data, "ignore")) {
            return CodeBlock.of("$T.ignore($L)", Patterns.class, join(texts(patterns.ignore(), "pattern")));
        }
        Calls c = new Calls();
        if (data.containsKey("only")) {
            c.add("only", strings(patterns.only(), "pattern"));
        }
        if (data.containsKey("ignore")) {
            c.add("ignore", strings(patterns.ignore(), "pattern"));
        }
        extra(c, patterns.extra());
        return c.built(Patterns.class);
    }

    private CodeBlock matrix(Matrix matrix) {
        Map<String, @Nullable Object> data = matrix.toData();
        Calls c = new Calls();
        if (data.get("parameters") instanceof Map<?, ?> m && m.isEmpty()) {
            c.add("parameters", "$T.of()", MAP);
        }
        matrix.parameters().forEach((name, values) -> c.add("putParameter", "$S, $L", name, data(values, name)));
        if (data.get("exclude") instanceof List<?> l && l.isEmpty()) {
            c.add("exclude", "$T.of()", LIST);
        }
        matrix.exclude().forEach(e -> c.add("addExclude", map(e, "exclude")));
        matrix.alias().ifPresent(a -> c.add("alias", text(a, "alias")));
        extra(c, matrix.extra());
        return c.built(Matrix.class);
    }

    private CodeBlock trigger(WorkflowTrigger trigger) {
        Schedule s = trigger.schedule();
        Calls c = new Calls();
        s.cron().ifPresent(x -> c.add("cron", text(x, "cron")));
        s.filters().ifPresent(f -> c.add("filters", filters(f)));
        extra(c, s.extra());
        CodeBlock schedule = c.built(Schedule.class);
        return trigger.extra().isEmpty() ? CodeBlock.of("$T.schedule($L)", WorkflowTrigger.class, schedule)
                : CodeBlock.of("new $T($L, $L)", WorkflowTrigger.class, schedule, map(trigger.extra(), "trigger"));
    }

    // ---------------------------------------------------------------------------------------------
    // Scalars and plain data

    private CodeBlock flag(String setter, Interpolable<Boolean> value) {
        return value.equals(Interpolable.of(true)) ? call(setter, CodeBlock.of("")) : call(setter, interpolable(value));
    }

    private CodeBlock integer(String setter, Interpolable<Integer> value) {
        return value instanceof Interpolable.Literal<Integer> l ? call(setter, CodeBlock.of("$L", l.value()))
                : call(setter, interpolable(value));
    }

    private static CodeBlock interpolable(Interpolable<?> value) {
        return value instanceof Interpolable.Literal<?> l ? CodeBlock.of("$T.of($L)", INTERPOLABLE, l.value())
                : CodeBlock.of("$T.expression($S)", INTERPOLABLE, ((Interpolable.Expression<?>) value).text());
    }

    /** {@code List.of("a", "b")}. */
    private CodeBlock strings(List<String> values, String role) {
        return list(texts(values, role), false);
    }

    private List<CodeBlock> texts(List<String> values, String role) {
        return values.stream().map(v -> text(v, role)).toList();
    }

    /** {@code List.of(...)}; with nulls, which it refuses, {@code Arrays.asList} (a single null would be the array). */
    private static CodeBlock list(List<CodeBlock> items, boolean nulls) {
        if (nulls && items.size() == 1) {
            return CodeBlock.of("$T.singletonList(null)", COLLECTIONS);
        }
        return CodeBlock.of("$T.$L($L)", nulls ? ARRAYS : LIST, nulls ? "asList" : "of", join(items));
    }

    private static CodeBlock join(List<CodeBlock> items) {
        return CodeBlock.join(items, ", ");
    }

    /**
     * A string the configuration holds: a literal, a shared constant, or an expression of a
     * method's parameter while a {@link Substitution} replaces it.
     *
     * @param role the key it is written under, which names a constant made of it
     */
    CodeBlock text(String value, String role) {
        if (substitution != null) {
            CodeBlock replaced = substitution.expression(value);
            if (replaced != null) {
                return replaced;
            }
        }
        if (!worthSharing(value, role)) {
            return literal(value);
        }
        return share(new Candidate(Kind.STRING, value), value, () -> literal(value), role);
    }

    /** Keys whose long values are worth a constant when repeated: commands, cache keys, paths. */
    private static final Set<String> SHARED_ROLES = Set.of("command", "key", "path", "root", "at",
            "working_directory", "destination");

    /** Strings worth a constant when repeated: images, and long commands, cache keys and paths. */
    private static boolean worthSharing(String value, String role) {
        return role.equals("image") || value.length() >= 16 && SHARED_ROLES.contains(role);
    }

    /**
     * A string literal: a text block for text of several lines, such as a script, so that it reads
     * as it did in the YAML; else a quoted string.
     */
    static CodeBlock literal(String value) {
        int newline = value.indexOf('\n');
        boolean severalLines = newline >= 0 && newline < value.length() - 1;
        boolean plainWhitespace = value.chars().noneMatch(c -> Character.isWhitespace(c) && c != ' ' && c != '\n'
                && c != '\t' && c != '\r' && c >= 0x20);
        return severalLines && plainWhitespace ? CodeBlock.of("$L", textBlock(value)) : CodeBlock.of("$S", value);
    }

    /**
     * {@code value} as a text block. Each line is escaped so that the compiler gives back exactly
     * {@code value}: backslashes, tabs and control characters as escapes, every third quote of a
     * run escaped so that no {@code """} closes the block early, a line's last trailing space as
     * {@code \s} (trailing spaces are stripped), and no final line break kept when {@code value}
     * has none (a {@code \} at the end of the last line). Every line, the closing delimiter's
     * included, has the same indentation, which the compiler strips.
     */
    static String textBlock(String value) {
        boolean finalBreak = value.endsWith("\n");
        String body = finalBreak ? value.substring(0, value.length() - 1) : value;
        String[] lines = body.split("\n", -1);
        StringBuilder out = new StringBuilder("\"\"\"\n");
        for (int i = 0; i < lines.length; i++) {
            StringBuilder line = new StringBuilder();
            int quotes = 0;
            for (char c : lines[i].toCharArray()) {
                quotes = c == '"' ? quotes + 1 : 0;
                if (c == '"' && quotes == 3) {
                    line.append("\\\"");
                    quotes = 0;
                } else if (c == '\\') {
                    line.append("\\\\");
                } else if (c == '\t') {
                    line.append("\\t");
                } else if (c < 0x20 || c == 0x7f) {
                    line.append(String.format(Locale.ROOT, "\\%03o", (int) c));
                } else {
                    line.append(c);
                }
            }
            if (line.length() > 0 && line.charAt(line.length() - 1) == ' ') {
                line.setLength(line.length() - 1);
                line.append("\\s");
            }
            if (i == lines.length - 1 && !finalBreak) {
                line.append('\\');
            }
            out.append(line.length() == 0 ? "" : TEXT_BLOCK_INDENT).append(line).append('\n');
        }
        return out.append(TEXT_BLOCK_INDENT).append("\"\"\"").toString();
    }

    private static final String TEXT_BLOCK_INDENT = "    ";

    /** Plain data: a literal, an ordered map, a list. Strings go through {@link #text}. */
    CodeBlock data(@Nullable Object value, String role) {
        if (value == null) {
            return CodeBlock.of("null");
        }
        if (value instanceof String s) {
            return text(s, role);
        }
        if (value instanceof Boolean || value instanceof Long l && l == l.intValue()) {
            return CodeBlock.of("$L", value);
        }
        if (value instanceof Long l) {
            return CodeBlock.of("$LL", l);
        }
        if (value instanceof Double d) {
            return doubleLiteral(d);
        }
        if (value instanceof BigInteger b) {
            return CodeBlock.of("new $T($S)", BIG_INTEGER, b.toString());
        }
        if (value instanceof List<?> list) {
            return list(list.stream().map(v -> data(v, role)).toList(), list.contains(null));
        }
        return map((Map<?, ?>) value, role);
    }

    private static CodeBlock doubleLiteral(double d) {
        if (Double.isNaN(d)) {
            return CodeBlock.of("$T.NaN", Double.class);
        }
        if (Double.isInfinite(d)) {
            return CodeBlock.of("$T.$L_INFINITY", Double.class, d > 0 ? "POSITIVE" : "NEGATIVE");
        }
        return CodeBlock.of("$L", Double.toString(d));
    }

    /**
     * An ordered map of plain data: {@code Map.of()} or {@code Map.of(k, v)} when order cannot
     * matter, else {@code ImmutableMap.of(...)} when short, its builder otherwise; with null values,
     * which both refuse, {@code Collections.singletonMap} or the {@link #NULLABLE_MAP} helper.
     */
    CodeBlock map(Map<?, ?> map, String role) {
        List<CodeBlock> entries = new ArrayList<>();
        map.forEach((k, v) -> entries.add(CodeBlock.of("$S, $L", k, data(v, String.valueOf(k)))));
        boolean nulls = map.containsValue(null);
        if (map.isEmpty()) {
            return CodeBlock.of("$T.of()", MAP);
        }
        if (map.size() == 1) {
            return CodeBlock.of(nulls ? "$T.singletonMap($L)" : "$T.of($L)", nulls ? COLLECTIONS : MAP, entries.get(0));
        }
        if (nulls) {
            usesNullableMap = true;
            return CodeBlock.of("$N($L)", NULLABLE_MAP, join(entries));
        }
        CodeBlock pairs = join(entries);
        if (map.size() <= 10 && pairs.toString().length() <= SHORT_MAP) {
            return CodeBlock.of("$T.of($L)", IMMUTABLE_MAP, pairs);
        }
        CodeBlock.Builder b = CodeBlock.builder().add("$T.<$T, $T>builder()", IMMUTABLE_MAP, String.class, Object.class);
        entries.forEach(e -> b.add(".put($L)", e));
        return b.add(".buildOrThrow()").build();
    }

    private void extra(Calls c, Map<String, @Nullable Object> extra) {
        extra.forEach((key, value) -> c.add("putExtra", "$S, $L", key, data(value, key)));
    }

    // ---------------------------------------------------------------------------------------------
    // Sharing

    /**
     * A value, or the constant sharing it: counted while {@linkplain #counting() counting}; a
     * reference to its constant when {@linkplain #choose chosen}, declared at first use. A value
     * holding a string the current substitution replaces is never shared: it depends on the
     * method's parameters.
     */
    private CodeBlock share(Candidate candidate, @Nullable Object data, Supplier<CodeBlock> code, String role) {
        if (substituted(data)) {
            return code.get();
        }
        if (counting) {
            counts.merge(candidate, 1, Integer::sum);
            hints.putIfAbsent(candidate, role);
        }
        String name = chosen.get(candidate);
        if (name == null) {
            return code.get();
        }
        if (!fields.containsKey(candidate)) {
            CodeBlock initializer = code.get();
            fields.put(candidate, FieldSpec.builder(type(candidate), name, Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer(initializer).build());
        }
        return CodeBlock.of("$N", name);
    }

    private boolean substituted(@Nullable Object data) {
        return substitution != null && anyString(data, substitution::replaces);
    }

    private static boolean anyString(@Nullable Object data, Predicate<String> test) {
        if (data instanceof String s) {
            return test.test(s);
        }
        if (data instanceof Map<?, ?> m) {
            return anyString(m.values(), test);
        }
        if (data instanceof Collection<?> c) {
            for (Object item : c) {
                if (anyString(item, test)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static TypeName type(Candidate candidate) {
        return switch (candidate.kind()) {
            case STEP -> CIRCLECI_STEP;
            case DOCKER_IMAGE -> ClassName.get(DockerImage.class);
            case FILTERS -> ClassName.get(candidate.value() instanceof PatternFilters ? PatternFilters.class
                    : Filters.class);
            case ENVIRONMENT -> ClassName.get(EnvironmentVariables.class);
            case STRING -> ClassName.get(String.class);
        };
    }

    /** A key for data, to look up the constant name a YAML anchor gives it: equal data, equal keys. */
    static String dataKey(@Nullable Object data) {
        return String.valueOf(normalized(data));
    }

    private static @Nullable Object normalized(@Nullable Object data) {
        if (data instanceof Map<?, ?> m) {
            Map<String, @Nullable Object> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(String.valueOf(k), normalized(v)));
            return sorted;
        }
        if (data instanceof List<?> l) {
            return l.stream().map(ImportCode::normalized).toList();
        }
        return data;
    }

    /** The anchor's name for a candidate's data, if a YAML anchor named it. */
    @Nullable String anchorName(Candidate candidate) {
        Object data = switch (candidate.kind()) {
            case STEP -> Steps.toData((CircleCiStep) candidate.value());
            case DOCKER_IMAGE -> ((DockerImage) candidate.value()).toData();
            case FILTERS -> FieldWriter.data((Filters) candidate.value());
            case ENVIRONMENT -> FieldWriter.data((EnvironmentVariables) candidate.value());
            case STRING -> candidate.value();
        };
        return anchors.name(data).orElse(null);
    }

    // ---------------------------------------------------------------------------------------------
    // Builder chains

    private static CodeBlock call(String method, CodeBlock arguments) {
        return CodeBlock.of(".$L($L)", method, arguments);
    }

    /** The calls of a builder chain, in order. */
    static final class Calls {
        private final List<CodeBlock> calls = new ArrayList<>();

        void add(CodeBlock call) {
            calls.add(call);
        }

        void add(String method, CodeBlock arguments) {
            calls.add(call(method, arguments));
        }

        void add(String method, String format, Object... args) {
            calls.add(call(method, CodeBlock.of(format, args)));
        }

        int size() {
            return calls.size();
        }

        /** {@code Type.builder().a().b().build()}. */
        CodeBlock built(Class<?> type) {
            return built(CodeBlock.of("$T.builder()", type));
        }

        /** {@code start.a().b().build()}. */
        CodeBlock built(CodeBlock start) {
            CodeBlock.Builder b = CodeBlock.builder().add(start);
            calls.forEach(b::add);
            return b.add(".build()").build();
        }

        /** The calls alone, {@code .a().b()}, to follow another call. */
        CodeBlock chained() {
            CodeBlock.Builder b = CodeBlock.builder();
            calls.forEach(b::add);
            return b.build();
        }
    }

    /** Whether two values would be written the same way. */
    static boolean sameCode(CodeBlock a, CodeBlock b) {
        return Objects.equals(a.toString(), b.toString());
    }
}
