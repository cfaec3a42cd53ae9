package dev.pipewright.circleci;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * The class that rebuilds a configuration through the CircleCI model's builders: a public
 * {@code config()} that reads as the configuration's outline, a method per job (one per family of
 * near-identical jobs), command and workflow, constants for values used more than once, and a
 * {@code main} that prints the YAML.
 *
 * <p>It is written three times. The first pass counts the values that could be shared; the second
 * shares the repeated steps, images, filters and environments and counts again, so that a string
 * inside a shared step counts once; the third writes the class with the constants still used twice
 * or more, named in order of first use.
 */
final class ImportClass {
    /** Methods of {@link Object}, which a static method of the same name would clash with. */
    private static final String[] OBJECT_METHODS = {"equals", "hashCode", "toString", "getClass", "notify",
        "notifyAll", "wait", "clone", "finalize"};
    private static final ClassName CONFIG = ClassName.get(CircleCiConfig.class);

    private final CircleCiConfig config;
    private final String className;
    private final String origin;
    private final ImportAnchors anchors;
    private final List<ImportFamilies.Family> families;
    private final Map<String, ImportFamilies.Family> familyOf = new LinkedHashMap<>();
    private final Map<String, String> methods = new LinkedHashMap<>();
    private final ImportNames.Scope scope = new ImportNames.Scope();
    private final ImportEnvironments environments;

    /**
     * @param origin the file the configuration was read from, for the Javadoc
     * @param anchors the YAML's anchors, which name constants and methods
     */
    ImportClass(CircleCiConfig config, String className, String origin, ImportAnchors anchors) {
        this.config = config;
        this.className = className;
        this.origin = origin;
        this.anchors = anchors;
        this.families = ImportFamilies.find(config.jobs(), new ImportCode(anchors), anchors);
        this.environments = ImportEnvironments.of(config);
        scope.reserve("config", "main", className, ImportCode.NULLABLE_MAP).reserve(OBJECT_METHODS)
                .reserve(ImportCode.STEP_FACTORIES.toArray(String[]::new));
        nameMethods();
    }

    private void nameMethods() {
        config.commands().keySet().forEach(n -> methods.put("command:" + n,
                scope.take(ImportNames.camel(n + " command", "command"), "Command")));
        config.executors().forEach((n, e) -> {
            if (!inline(e)) {
                methods.put("executor:" + n, scope.take(ImportNames.camel(n + " executor", "executor"), "Executor"));
            }
        });
        families.forEach(f -> f.jobs().forEach(j -> familyOf.put(j, f)));
        for (String job : config.jobs().keySet()) {
            ImportFamilies.Family family = familyOf.get(job);
            if (family == null) {
                methods.put("job:" + job, scope.take(ImportNames.camel(job, "job"), "Job"));
            } else if (family.jobs().get(0).equals(job)) {
                methods.put("family:" + job, scope.take(family.method(), "Job"));
            }
        }
        config.workflows().keySet().forEach(n -> methods.put("workflow:" + n,
                scope.take(ImportNames.camel(n + " workflow", "workflow"), "Workflow")));
        config.jobGroups().keySet().forEach(n -> methods.put("group:" + n,
                scope.take(ImportNames.camel(n + " group", "group"), "Group")));
        config.extra().forEach((k, v) -> {
            if (v instanceof Map || v instanceof List) {
                methods.put("extra:" + k, scope.take(ImportNames.camel(k, "kept"), "Data"));
            }
        });
    }

    /** The names of the environments the class declares, in order. */
    List<String> environments() {
        return environments.plans().stream().map(ImportEnvironments.Plan::name).toList();
    }

    /** Whether an executor is written in {@code config()}: it makes at most three calls. */
    private static boolean inline(Executor executor) {
        return new ImportCode(ImportAnchors.NONE).executorCalls(executor).size() <= 3;
    }

    /** The class, written in three passes; see the class comment. */
    TypeSpec type() {
        ImportCode first = new ImportCode(anchors, environments);
        first.counting();
        write(first);
        Map<ImportCode.Candidate, String> temporary = new LinkedHashMap<>();
        first.counts().forEach((c, n) -> {
            if (n >= 2 && c.kind() != ImportCode.Kind.STRING && !trivial(c)) {
                temporary.put(c, "C" + temporary.size());
            }
        });
        ImportCode second = new ImportCode(anchors, environments);
        second.counting();
        second.choose(temporary);
        write(second);
        ImportNames.Scope constants = new ImportNames.Scope();
        environments.plans().forEach(p -> constants.reserve(p.constant()));
        Map<ImportCode.Candidate, String> names = new LinkedHashMap<>();
        second.counts().forEach((c, n) -> {
            if (n >= 2 && (c.kind() == ImportCode.Kind.STRING || temporary.containsKey(c))) {
                names.put(c, take(constants, constantNames(second, c)));
            }
        });
        ImportCode last = new ImportCode(anchors, environments);
        last.choose(names);
        return write(last);
    }

    /** Steps without arguments read as well as a constant would. */
    private static boolean trivial(ImportCode.Candidate candidate) {
        if (candidate.value() instanceof CommandStep s) {
            return s.arguments().isEmpty();
        }
        if (candidate.value() instanceof ParameterExpansionStep) {
            return true;
        }
        return candidate.value() instanceof CircleCiStep step && Steps.toData(step) instanceof Map<?, ?> m
                && m.values().iterator().next() instanceof Map<?, ?> body && body.isEmpty();
    }

    /** Takes the first free of {@code names}, or the first numbered. */
    private static String take(ImportNames.Scope scope, List<String> names) {
        for (String name : names) {
            if (!scope.contains(name)) {
                return scope.take(name, "");
            }
        }
        return scope.take(names.get(0), "");
    }

    /** Names for a constant, best first: its anchor's, then names made of what it is. */
    private static List<String> constantNames(ImportCode code, ImportCode.Candidate c) {
        List<String> names = new ArrayList<>();
        String anchor = code.anchorName(c);
        if (anchor != null) {
            names.add(ImportNames.constant(anchor, "SHARED"));
        }
        switch (c.kind()) {
            case STEP -> names.addAll(stepNames((CircleCiStep) c.value()));
            case DOCKER_IMAGE -> names.add(imageName(((DockerImage) c.value()).image().orElse("docker"), "container"));
            case FILTERS -> names.add(filtersName((Filters) c.value()));
            case ENVIRONMENT -> names.add("ENVIRONMENT");
            case STRING -> names.addAll(stringNames((String) c.value(), code.hints().getOrDefault(c, "value")));
        }
        return names;
    }

    private static List<String> stepNames(CircleCiStep step) {
        if (step instanceof RunStep run) {
            String text = run.name().orElseGet(() -> firstLine(run.command().orElse("run")));
            return List.of(ImportNames.constant(text, "RUN"));
        }
        if (step instanceof CommandStep command) {
            String name = ImportNames.constant(command.name(), "COMMAND");
            String argument = command.arguments().values().stream().filter(v -> v instanceof String)
                    .map(v -> (String) v).findFirst().orElse("");
            return List.of(name, ImportNames.constant(command.name() + " " + argument, name));
        }
        if (step instanceof ConditionalStep conditional) {
            return List.of(conditional.isUnless() ? "UNLESS" : "WHEN");
        }
        if (!(Steps.toData(step) instanceof Map<?, ?> data)) {
            return List.of("STEP");
        }
        String key = String.valueOf(data.keySet().iterator().next());
        String kind = ImportNames.constant(key, "STEP");
        String argument = data.values().iterator().next() instanceof Map<?, ?> body ? body.values().stream()
                .map(v -> v instanceof List<?> l && !l.isEmpty() ? l.get(0) : v).filter(v -> v instanceof String)
                .map(v -> lastSegment(withoutTemplates((String) v))).findFirst().orElse("") : "";
        String named = ImportNames.constant(kind + " " + argument, kind);
        // What is stored, cached or persisted tells such steps apart; a workspace is usually attached once.
        return NAMED_BY_ARGUMENT.contains(key) ? List.of(named, kind) : List.of(kind, named);
    }

    private static final Set<String> NAMED_BY_ARGUMENT = Set.of("store_artifacts", "store_test_results", "save_cache",
            "restore_cache", "persist_to_workspace");

    /** The text without CircleCI's {@code {{ ... }}} templates and {@code << ... >>} interpolations. */
    private static String withoutTemplates(String text) {
        return text.replaceAll("\\{\\{.*?}}|<<.*?>>", " ");
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("");
    }

    private static String lastSegment(String path) {
        String trimmed = path.replaceAll("/+$", "");
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String imageName(String image, String suffix) {
        String repository = image.replaceFirst("[:@].*$", "");
        return ImportNames.constant(lastSegment(repository) + " " + suffix, "IMAGE");
    }

    private static String filtersName(Filters filters) {
        if (filters instanceof PatternFilters p) {
            if (p.branches().isPresent() && !p.branches().get().only().isEmpty()) {
                return ImportNames.constant("only " + p.branches().get().only().get(0), "FILTERS");
            }
            if (p.branches().isPresent() && !p.branches().get().ignore().isEmpty()) {
                return p.tags().isPresent() ? "TAGS_ONLY" : ImportNames.constant("not "
                        + p.branches().get().ignore().get(0), "FILTERS");
            }
            if (p.tags().isPresent() && !p.tags().get().only().isEmpty()) {
                return ImportNames.constant("tags " + p.tags().get().only().get(0), "FILTERS");
            }
        }
        return "FILTERS";
    }

    private static List<String> stringNames(String value, String role) {
        return switch (role) {
            case "image" -> List.of(imageName(value, "image"), ImportNames.constant(value + " image", "IMAGE"));
            case "key" -> List.of(ImportNames.constant(withoutTemplates(value) + " key", "CACHE_KEY"), "CACHE_KEY");
            case "command" -> List.of(ImportNames.constant(firstLine(value), "COMMAND"));
            case "working_directory" -> List.of("WORKING_DIRECTORY");
            case "at", "root" -> List.of(ImportNames.constant(lastSegment(value), "WORKSPACE"), "WORKSPACE");
            default -> List.of(ImportNames.constant(lastSegment(value), "PATH"), ImportNames.constant(role, "TEXT"));
        };
    }

    /** Writes the class with {@code code}. */
    private TypeSpec write(ImportCode code) {
        List<MethodSpec> helpers = new ArrayList<>();
        CodeBlock.Builder outline = CodeBlock.builder().add("return $T.builder()", CONFIG);
        Map<String, @Nullable Object> data = config.toData();
        config.version().ifPresent(v -> outline.add(".version($L)", code.version(v)));
        config.setup().ifPresent(s -> outline.add(s.equals(Interpolable.of(true)) ? CodeBlock.of(".setup()")
                : s instanceof Interpolable.Literal<Boolean> l ? CodeBlock.of(".setup($T.of($L))", Interpolable.class,
                        l.value()) : CodeBlock.of(".setup($T.expression($S))", Interpolable.class, s.toString())));
        empty(outline, data, "parameters");
        config.parameters().forEach((n, p) -> outline.add(".putParameter($S, $L)", n, code.parameter(p)));
        empty(outline, data, "orbs");
        config.orbs().forEach((n, o) -> outline.add(".putOrb($S, $L)", n, code.orb(o)));
        empty(outline, data, "executors");
        config.executors().forEach((n, e) -> {
            String method = methods.get("executor:" + n);
            ImportCode.Calls calls = code.executorCalls(e);
            if (method == null) {
                outline.add(calls.size() == 0 ? CodeBlock.of(".putExecutor($S, $T.builder().build())", n, Executor.class)
                        : CodeBlock.of(".putExecutor($S, e -> e$L)", n, calls.chained()));
            } else {
                outline.add(".putExecutor($S, $N())", n, method);
                helpers.add(method(method, Executor.class, calls.built(Executor.class)));
            }
        });
        empty(outline, data, "commands");
        config.commands().forEach((n, c) -> {
            String method = methods.get("command:" + n);
            outline.add(".putCommand($S, $N())", n, method);
            helpers.add(method(method, Command.class, code.command(c)));
        });
        empty(outline, data, "jobs");
        config.jobs().forEach((n, j) -> {
            ImportFamilies.Family family = familyOf.get(n);
            if (family == null) {
                String method = methods.get("job:" + n);
                outline.add(".putJob($S, $N())", n, method);
                helpers.add(method(method, Job.class, code.job(j)));
                return;
            }
            String method = methods.get("family:" + family.jobs().get(0));
            int index = family.jobs().indexOf(n);
            List<CodeBlock> args = family.arguments().get(index).stream().map(a -> code.text(a, "argument")).toList();
            outline.add(".putJob($S, $N($L))", n, method, CodeBlock.join(args, ", "));
            if (index == 0) {
                helpers.add(familyMethod(method, family, code, j));
            }
        });
        config.workflowsVersion().ifPresent(v -> outline.add(".workflowsVersion($L)", code.version(v)));
        if (data.get("workflows") instanceof Map<?, ?> w && w.isEmpty()) {
            outline.add(".workflows($T.of())", Map.class);
        }
        config.workflows().forEach((n, w) -> {
            String method = methods.get("workflow:" + n);
            outline.add(".putWorkflow($S, $N())", n, method);
            helpers.add(method(method, Workflow.class, code.workflow(w)));
        });
        if (data.get("job-groups") instanceof Map<?, ?> g && g.isEmpty()) {
            outline.add(".jobGroups($T.of())", Map.class);
        }
        config.jobGroups().forEach((n, g) -> {
            String method = methods.get("group:" + n);
            outline.add(".putJobGroup($S, $N())", n, method);
            helpers.add(method(method, JobGroup.class, code.jobGroup(g)));
        });
        config.extra().forEach((k, v) -> {
            String method = methods.get("extra:" + k);
            if (method == null) {
                outline.add(".putExtra($S, $L)", k, code.data(v, k));
            } else {
                outline.add(".putExtra($S, $N())", k, method);
                TypeName type = v instanceof Map ? ParameterizedTypeName.get(Map.class, String.class, Object.class)
                        : ParameterizedTypeName.get(List.class, Object.class);
                helpers.add(MethodSpec.methodBuilder(method).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                        .addJavadoc("The top-level key {@code $L}, kept as written; CircleCI ignores it.\n", k)
                        .returns(type).addStatement("return $L", code.data(v, k)).build());
            }
        });
        outline.add(".build()");

        TypeSpec.Builder type = TypeSpec.classBuilder(className)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The CircleCI configuration of {@code $L}, as Java: {@link #config()} builds it, {@link #main}\n"
                        + "prints it as YAML.\n\n<p>Imported by Pipewright: {@code circleci import $L}.\n", origin, origin);
        for (FieldSpec field : environments.fields()) {
            type.addField(field);
        }
        for (FieldSpec field : code.fields()) {
            type.addField(field);
        }
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        type.addMethod(MethodSpec.methodBuilder("config").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The configuration.\n").returns(CONFIG).addStatement(outline.build()).build());
        type.addMethod(ImportSource.main(className, CodeBlock.of("config().toYaml($T.of($S))", List.class,
                ImportSource.header(className))));
        helpers.forEach(type::addMethod);
        if (code.usesNullableMap()) {
            type.addMethod(ImportSource.nullableMap());
        }
        return type.build();
    }

    private static void empty(CodeBlock.Builder outline, Map<String, @Nullable Object> data, String key) {
        if (data.get(key) instanceof Map<?, ?> m && m.isEmpty()) {
            outline.add(".$L($T.of())", key, Map.class);
        }
    }

    private static MethodSpec method(String name, Class<?> type, CodeBlock value) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(type)
                .addStatement("return $L", value).build();
    }

    private static MethodSpec familyMethod(String name, ImportFamilies.Family family, ImportCode code, Job first) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(Job.class);
        family.token().ifPresent(t -> method.addParameter(String.class, t));
        family.parameters().forEach(p -> method.addParameter(String.class, p));
        String jobs = String.join(", ", family.jobs());
        method.addJavadoc("The jobs $L.\n", jobs);
        return method.addStatement("return $L", code.substituting(family.substitution(), () -> code.job(first))).build();
    }
}
