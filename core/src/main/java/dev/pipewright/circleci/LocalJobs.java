package dev.pipewright.circleci;

import dev.pipewright.Filter;
import dev.pipewright.Gate;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.NamePattern;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The jobs of a workflow as stages: a job's parameters checked and substituted, its executor's
 * shell, working directory and environment applied, its commands, {@code steps} parameters and
 * {@code when}/{@code unless} steps expanded, and each built-in step made a {@link LocalSteps}
 * step. Problems and notes go to the {@link LocalTranslation} it works for.
 */
final class LocalJobs {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_DEPTH = 40;
    private static final Set<String> RUN_KEYS = Set.of("command", "name", "shell", "environment", "background",
            "working_directory", "no_output_timeout", "when", "max_auto_reruns", "auto_rerun_delay");
    private static final Set<String> BUILT_IN = Set.of("run", "checkout", "setup_remote_docker", "save_cache",
            "restore_cache", "store_artifacts", "store_test_results", "persist_to_workspace", "attach_workspace",
            "add_ssh_keys", "deploy");

    private final LocalTranslation t;

    LocalJobs(LocalTranslation translation) {
        this.t = translation;
    }

    // ---------------------------------------------------------------- jobs

    /** Where definitions are looked up: the configuration's, or an inline orb's. */
    private record Scope(String prefix, Map<?, ?> commands, Map<?, ?> executors, Map<?, ?> jobs, Map<?, ?> orbs) {
    }

    private Scope topScope() {
        return new Scope("", LocalTranslation.map(t.data().get("commands")), LocalTranslation.map(t.data().get("executors")), LocalTranslation.map(t.data().get("jobs")),
                LocalTranslation.map(t.data().get("orbs")));
    }

    private Scope orbScope(Scope from, String alias) {
        Map<?, ?> orb = LocalTranslation.map(from.orbs().get(alias));
        return new Scope(from.prefix() + "orbs." + alias + ".", LocalTranslation.map(orb.get("commands")), LocalTranslation.map(orb.get("executors")),
                LocalTranslation.map(orb.get("jobs")), LocalTranslation.map(orb.get("orbs")));
    }

    /** What an executor gives a job. */
    private record Host(Optional<String> shell, Optional<String> workingDirectory, Map<String, String> environment,
            Optional<String> describe) {
    }

    @Nullable Stage stage(LocalTranslation.Invocation inv, List<String> upstream) {
        Scope scope = topScope();
        String job = inv.job;
        String definitionPath = "jobs." + job;
        Map<?, ?> definition = scope.jobs().get(job) instanceof Map<?, ?> m ? m : null;
        if (definition == null && job.contains("/")) {
            String alias = job.substring(0, job.indexOf('/'));
            Object orb = scope.orbs().get(alias);
            if (orb instanceof Map<?, ?>) {
                scope = orbScope(scope, alias);
                String local = job.substring(job.indexOf('/') + 1);
                definitionPath = scope.prefix() + "jobs." + local;
                definition = scope.jobs().get(local) instanceof Map<?, ?> m ? m : null;
            } else if (orb != null) {
                return foreignJob(inv, alias, String.valueOf(orb));
            }
        }
        if (definition == null) {
            t.problem(inv.path, "job '" + job + "' is not defined" + LocalTranslation.known("jobs", scope.jobs().keySet()) + ".");
            return null;
        }
        String owner = "job '" + job + "'";
        Map<String, @Nullable Object> parameters = arguments(LocalTranslation.map(definition.get("parameters")), inv.arguments, owner,
                Warnings.child(definitionPath, "parameters"), inv.path);
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        definition.forEach((k, v) -> {
            if (!"parameters".equals(k)) {
                body.put(String.valueOf(k), v);
            }
        });
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> resolved = (Map<String, @Nullable Object>) t.interpolation(parameters, owner)
                .resolve(body, definitionPath);
        Stage.Builder stage = Stage.named(inv.stage)
                .description("CircleCI job '" + inv.name + "'" + (inv.name.equals(job) ? "" : " (job '" + job + "')"));
        stage.needs(inv.needs.toArray(String[]::new));
        for (String gate : inv.gates) {
            stage.gate(Gate.manualApproval(a -> a.name(LocalTranslation.sanitize(gate))
                    .message("Approve '" + gate + "' in workflow '" + t.workflowName() + "'?")));
        }
        Filter filter = inv.filter;
        stage.filter(f -> {
            f.onlyBranches(texts(filter.onlyBranches()));
            f.ignoreBranches(texts(filter.ignoreBranches()));
            f.onlyTags(texts(filter.onlyTags()));
            f.ignoreTags(texts(filter.ignoreTags()));
        });
        String type = resolved.get("type") instanceof String t ? t : "build";
        if (!type.equals("build")) {
            stage.step(new LocalSteps.NoOp(type + " job", "a " + type + " job does nothing in a local run"));
            t.note("job '" + inv.name + "' is a " + type + " job: it does nothing locally.");
            return build(stage);
        }
        Host host = machine(resolved, inv, scope, definitionPath);
        host.describe().ifPresent(d -> t.note("job '" + inv.name + "': " + d));
        if (resolved.get("parallelism") instanceof Number n && n.longValue() > 1) {
            t.note("job '" + inv.name + "': parallelism " + n + " is not used; the job runs once "
                    + "(CIRCLE_NODE_TOTAL=1).");
        }
        String workingDirectory = resolved.get("working_directory") instanceof String w ? w
                : host.workingDirectory().orElse("~/project");
        Optional<String> shell = resolved.get("shell") instanceof String s ? Optional.of(s) : host.shell();
        Map<String, String> environment = new LinkedHashMap<>(host.environment());
        environment.putAll(environment(resolved.get("environment"), Warnings.child(definitionPath, "environment")));
        Map<String, String> onSteps = new LinkedHashMap<>();
        environment.forEach((k, v) -> {
            if (VARIABLE.matcher(k).matches() && !k.startsWith("CIRCLE_")) {
                stage.putVariable(k, v);
            } else {
                onSteps.put(k, v);
            }
        });
        List<String> secrets = t.options().secretNames().stream().filter(s -> !environment.containsKey(s)).toList();
        stage.secrets(secrets.toArray(String[]::new));

        List<Flat> flat = new ArrayList<>();
        Deque<String> calls = new ArrayDeque<>();
        expand(inv.body.get("pre-steps"), Warnings.child(inv.path, "pre-steps"), topScope(), calls, flat);
        expand(resolved.get("steps"), Warnings.child(definitionPath, "steps"), scope, calls, flat);
        expand(inv.body.get("post-steps"), Warnings.child(inv.path, "post-steps"), topScope(), calls, flat);
        List<Step> main = new ArrayList<>();
        List<Step> afterFailure = new ArrayList<>();
        Set<String> ignored = new LinkedHashSet<>();
        for (int i = 0; i < flat.size(); i++) {
            LocalSteps.Place place = new LocalSteps.Place(inv.name, workingDirectory, i + 1, false);
            Step step = step(flat.get(i), place, shell, onSteps, inv, upstream, ignored);
            if (step == null) {
                continue;
            }
            LocalSteps.When when = step instanceof LocalSteps.Run r ? r.when()
                    : step instanceof LocalSteps.SaveCache c ? c.when() : LocalSteps.When.ON_SUCCESS;
            if (when != LocalSteps.When.ON_FAIL) {
                main.add(step);
            }
            if (when != LocalSteps.When.ON_SUCCESS) {
                afterFailure.add(step instanceof LocalSteps.Run r ? r.afterFailure()
                        : ((LocalSteps.SaveCache) step).afterFailure());
            }
        }
        if (!ignored.isEmpty()) {
            t.note("job '" + inv.name + "': ignored locally: " + String.join(", ", ignored) + ".");
        }
        if (main.isEmpty()) {
            main.add(new LocalSteps.NoOp("no steps", "the job has no step that runs when it succeeds"));
        }
        stage.steps(main.toArray(Step[]::new));
        stage.onFailure(afterFailure.toArray(Step[]::new));
        return build(stage);
    }

    private static String[] texts(List<NamePattern> patterns) {
        return patterns.stream().map(NamePattern::text).toArray(String[]::new);
    }

    private @Nullable Stage build(Stage.Builder stage) {
        try {
            return stage.build();
        } catch (InvalidPipelineException e) {
            // Reported again, with the stage's path, when the pipeline is built.
            return null;
        }
    }

    private Stage foreignJob(LocalTranslation.Invocation inv, String alias, String orb) {
        String local = inv.job.substring(inv.job.indexOf('/') + 1);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("job", inv.job);
        parameters.put("orb", orb);
        inv.arguments.forEach((k, v) -> parameters.put("arguments." + k, LocalExpression.text(v)));
        Stage.Builder stage = Stage.named(inv.stage).description("CircleCI job '" + inv.name + "' (orb job '" + inv.job + "')")
                .needs(inv.needs.toArray(String[]::new))
                .step(new LocalSteps.Foreign("circleci.orb-job." + LocalSteps.word(alias) + "." + LocalSteps.word(local),
                        "orb job " + inv.job, parameters));
        for (String gate : inv.gates) {
            stage.gate(Gate.manualApproval(a -> a.name(LocalTranslation.sanitize(gate))));
        }
        Filter filter = inv.filter;
        stage.filter(f -> {
            f.onlyBranches(texts(filter.onlyBranches()));
            f.ignoreBranches(texts(filter.ignoreBranches()));
            f.onlyTags(texts(filter.onlyTags()));
            f.ignoreTags(texts(filter.ignoreTags()));
        });
        stage.secrets(t.options().secretNames().toArray(String[]::new));
        return stage.build();
    }

    private Host machine(Map<String, @Nullable Object> job, LocalTranslation.Invocation inv, Scope scope, String path) {
        Map<String, String> environment = new LinkedHashMap<>();
        Optional<String> shell = Optional.empty();
        Optional<String> workingDirectory = Optional.empty();
        List<String> unused = new ArrayList<>();
        if (job.get("docker") instanceof List<?> images && !images.isEmpty()) {
            Map<?, ?> primary = LocalTranslation.map(images.get(0));
            environment.putAll(environment(primary.get("environment"), Warnings.child(path, "docker[0].environment")));
            unused.add("docker image " + primary.get("image") + (images.size() > 1 ? " and " + (images.size() - 1)
                    + " service container" + (images.size() > 2 ? "s" : "") : ""));
        }
        if (job.containsKey("machine")) {
            unused.add("machine " + (job.get("machine") instanceof Map<?, ?> m && m.get("image") != null ? m.get("image") : "image"));
        }
        if (job.containsKey("macos")) {
            unused.add("macOS " + (job.get("macos") instanceof Map<?, ?> m && m.get("xcode") != null ? "Xcode " + m.get("xcode") : "VM"));
        }
        Object executor = job.get("executor");
        if (executor != null) {
            String name = executor instanceof String s ? s : executor instanceof Map<?, ?> m && m.get("name") instanceof String n
                    ? n : null;
            if (name == null) {
                t.problem(Warnings.child(path, "executor"), "an executor is a name or a mapping with its name and arguments.");
            } else {
                Scope where = scope;
                String local = name;
                Map<?, ?> definition = scope.executors().get(name) instanceof Map<?, ?> d ? d : null;
                if (definition == null && name.contains("/")) {
                    String alias = name.substring(0, name.indexOf('/'));
                    if (scope.orbs().get(alias) instanceof Map<?, ?>) {
                        where = orbScope(scope, alias);
                        local = name.substring(name.indexOf('/') + 1);
                        definition = where.executors().get(local) instanceof Map<?, ?> d ? d : null;
                    } else if (scope.orbs().containsKey(alias)) {
                        unused.add("orb executor " + name);
                    }
                }
                if (definition != null) {
                    Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
                    if (executor instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> {
                            if (!"name".equals(k)) {
                                arguments.put(String.valueOf(k), v);
                            }
                        });
                    }
                    String definitionPath = where.prefix() + "executors." + local;
                    Map<String, @Nullable Object> parameters = arguments(LocalTranslation.map(definition.get("parameters")), arguments,
                            "executor '" + name + "'", Warnings.child(definitionPath, "parameters"),
                            Warnings.child(path, "executor"));
                    Map<String, @Nullable Object> body = new LinkedHashMap<>();
                    definition.forEach((k, v) -> {
                        if (!"parameters".equals(k)) {
                            body.put(String.valueOf(k), v);
                        }
                    });
                    @SuppressWarnings("unchecked")
                    Map<String, @Nullable Object> resolved = (Map<String, @Nullable Object>) t.interpolation(parameters,
                            "executor '" + name + "'").resolve(body, definitionPath);
                    Host inner = machine(resolved, inv, where, definitionPath);
                    environment.putAll(inner.environment());
                    environment.putAll(environment(resolved.get("environment"),
                            Warnings.child(definitionPath, "environment")));
                    shell = resolved.get("shell") instanceof String s ? Optional.of(s) : inner.shell();
                    workingDirectory = resolved.get("working_directory") instanceof String w ? Optional.of(w)
                            : inner.workingDirectory();
                    inner.describe().ifPresent(d -> unused.add(d.replaceFirst(" (is|are) not used.*$", "")));
                } else if (!name.contains("/")) {
                    t.problem(Warnings.child(path, "executor"), "executor '" + name + "' is not defined"
                            + LocalTranslation.known("executors", scope.executors().keySet()) + ".");
                }
            }
        }
        Optional<String> describe = unused.isEmpty() ? Optional.empty()
                : Optional.of(String.join(", ", unused) + (unused.size() == 1 && !unused.get(0).contains(" and ")
                        ? " is" : " are") + " not used; the steps run on this host.");
        return new Host(shell, workingDirectory, environment, describe);
    }

    private Map<String, String> environment(@Nullable Object value, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Map || v instanceof List) {
                    t.problem(Warnings.child(path, String.valueOf(k)), "an environment variable's value is a single value.");
                } else {
                    out.put(String.valueOf(k), LocalExpression.text(v));
                }
            });
            return out;
        }
        List<?> assignments = value instanceof List<?> l ? l : List.of(value);
        for (int i = 0; i < assignments.size(); i++) {
            String a = LocalExpression.text(assignments.get(i));
            int eq = a.indexOf('=');
            if (eq <= 0) {
                t.problem(Warnings.item(path, i), "'" + a + "' is not NAME=value.");
            } else {
                out.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        return out;
    }

    /**
     * The values of {@code declared} parameters for {@code given} arguments, as
     * {@code parameters.<name>}: checked against each declaration's type, defaults filled in.
     */
    private Map<String, @Nullable Object> arguments(Map<?, ?> declared, Map<String, @Nullable Object> given, String owner,
            String declarationPath, String argumentsPath) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        for (String k : given.keySet()) {
            if (!declared.containsKey(k)) {
                t.problem(Warnings.child(argumentsPath, k), owner + " declares no parameter '" + k + "'"
                        + LocalTranslation.known("parameters", declared.keySet()) + ".");
            }
        }
        LocalInterpolation defaults = t.interpolation(Map.of(), owner);
        for (Map.Entry<?, ?> e : declared.entrySet()) {
            String name = String.valueOf(e.getKey());
            Map<?, ?> declaration = LocalTranslation.map(e.getValue());
            String path = Warnings.child(declarationPath, name);
            String type = declaration.get("type") instanceof String t ? t : "string";
            Object value;
            String where;
            if (given.containsKey(name)) {
                value = given.get(name);
                where = Warnings.child(argumentsPath, name);
            } else if (declaration.containsKey("default")) {
                value = defaults.resolve(declaration.get("default"), path + ".default");
                where = path + ".default";
            } else {
                t.problem(argumentsPath, owner + " needs a value for parameter '" + name + "' (" + type
                        + "), which has no default. Pass " + name + ": VALUE.");
                continue;
            }
            out.put("parameters." + name, checked(value, type, declaration, owner, name, where));
        }
        return out;
    }

    private @Nullable Object checked(@Nullable Object value, String type, Map<?, ?> declaration, String owner, String name,
            String path) {
        String what = owner + " parameter '" + name + "' is " + ("enum".equals(type) || "integer".equals(type)
                ? "an " : "a ") + type;
        if (value instanceof String s && s.contains("<<") && LocalInterpolation.isReference(s)) {
            return value; // unresolved: reported where it was resolved
        }
        switch (type) {
            case "boolean":
                if (value instanceof Boolean) {
                    return value;
                }
                t.problem(path, what + "; found " + PlainData.describe(value) + ". Give true or false.");
                return false;
            case "integer":
                if (value instanceof Long || value instanceof java.math.BigInteger) {
                    return value;
                }
                t.problem(path, what + "; found " + PlainData.describe(value) + ". Give a whole number.");
                return 0L;
            case "enum":
                List<?> values = declaration.get("enum") instanceof List<?> l ? l : List.of();
                String text = LocalExpression.text(value);
                if (values.stream().map(LocalExpression::text).noneMatch(text::equals)) {
                    t.problem(path, what + " of " + values + "; found " + PlainData.describe(value) + ".");
                }
                return text;
            case "steps":
                if (value instanceof List<?>) {
                    return value;
                }
                t.problem(path, what + " (a list of steps); found " + PlainData.describe(value) + ".");
                return List.of();
            case "executor":
                if (value instanceof String || value instanceof Map) {
                    return value;
                }
                t.problem(path, what + " (a name, or a mapping with its name and arguments); found "
                        + PlainData.describe(value) + ".");
                return value;
            case "env_var_name":
                if (value instanceof String s && VARIABLE.matcher(s).matches()) {
                    return value;
                }
                t.problem(path, what + " (letters, digits and _); found " + PlainData.describe(value) + ".");
                return LocalExpression.text(value);
            case "string":
                if (value instanceof Map || value instanceof List) {
                    t.problem(path, what + "; found " + PlainData.describe(value) + ".");
                    return "";
                }
                return LocalExpression.text(value);
            default:
                t.problem(Warnings.child(path, "type"), "'" + type + "' is not a parameter type; use string, boolean,"
                        + " integer, enum, executor, steps or env_var_name.");
                return value;
        }
    }

    // ---------------------------------------------------------------- steps

    /** A built-in step after commands, parameters and conditions were dealt with. */
    private record Flat(String name, Map<?, ?> body, String path) {
    }

    private void expand(@Nullable Object steps, String path, Scope scope, Deque<String> calls, List<Flat> out) {
        if (steps == null) {
            return;
        }
        if (!(steps instanceof List<?> list)) {
            t.problem(path, "steps are a list; found " + PlainData.describe(steps) + ".");
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String itemPath = Warnings.item(path, i);
            Object item = canonical(list.get(i));
            if (item instanceof List<?>) {
                expand(item, itemPath, scope, calls, out); // a steps parameter, spliced in
                continue;
            }
            if (item instanceof String s && s.contains("<<")) {
                continue; // unresolved: reported where it was resolved
            }
            if (!(item instanceof Map<?, ?> step) || step.size() != 1) {
                t.problem(itemPath, "a step is a one-key mapping of a built-in step or a command to its keys; found "
                        + PlainData.describe(item) + ".");
                continue;
            }
            Map.Entry<?, ?> only = step.entrySet().iterator().next();
            String name = String.valueOf(only.getKey());
            Object body = only.getValue();
            String at = Warnings.child(itemPath, name);
            if (name.equals("steps")) {
                expand(body, at, scope, calls, out);
            } else if (name.equals("when") || name.equals("unless")) {
                Map<?, ?> fields = LocalTranslation.map(body);
                if (!fields.containsKey("condition")) {
                    t.problem(at, "a " + name + " step needs a condition.");
                    continue;
                }
                boolean holds = t.holds(fields.get("condition"), Warnings.child(at, "condition"),
                        t.interpolation(Map.of(), "the " + name + " step"));
                if (holds == name.equals("when")) {
                    expand(fields.get("steps"), Warnings.child(at, "steps"), scope, calls, out);
                }
            } else if (BUILT_IN.contains(name)) {
                if (body instanceof Map<?, ?> fields) {
                    out.add(new Flat(name, fields, at));
                } else {
                    t.problem(at, "the " + name + " step takes a mapping of its keys; found " + PlainData.describe(body) + ".");
                }
            } else {
                command(name, body, at, scope, calls, out);
            }
        }
    }

    private static @Nullable Object canonical(@Nullable Object step) {
        if (step instanceof String name && !name.contains("<<")) {
            return Map.of(name, Map.of());
        }
        if (step instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            String name = String.valueOf(only.getKey());
            Object body = only.getValue();
            if (body == null) {
                return Map.of(name, Map.of());
            }
            if ((name.equals("run") || name.equals("deploy")) && body instanceof String command) {
                return Map.of(name, Map.of("command", command));
            }
        }
        return step;
    }

    private void command(String name, @Nullable Object body, String path, Scope scope, Deque<String> calls, List<Flat> out) {
        Scope where = scope;
        String local = name;
        Map<?, ?> definition = scope.commands().get(name) instanceof Map<?, ?> d ? d : null;
        if (definition == null && name.contains("/")) {
            String alias = name.substring(0, name.indexOf('/'));
            Object orb = scope.orbs().get(alias);
            if (orb instanceof Map<?, ?>) {
                where = orbScope(scope, alias);
                local = name.substring(name.indexOf('/') + 1);
                definition = where.commands().get(local) instanceof Map<?, ?> d ? d : null;
            } else if (orb != null) {
                out.add(new Flat("orb:" + alias + ":" + orb, Map.of(name, body instanceof Map<?, ?> m ? m : Map.of()), path));
                return;
            }
        }
        if (definition == null) {
            t.problem(path, "command '" + name + "' is not defined" + LocalTranslation.known("commands", scope.commands().keySet()) + ".");
            return;
        }
        String key = where.prefix() + local;
        if (calls.contains(key) || calls.size() >= MAX_DEPTH) {
            t.problem(path, "command '" + name + "' calls itself: " + String.join(" -> ", calls) + " -> " + key
                    + ". Break the loop.");
            return;
        }
        Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> m) {
            m.forEach((k, v) -> arguments.put(String.valueOf(k), v));
        } else if (body != null) {
            t.problem(path, "a command's arguments are a mapping; found " + PlainData.describe(body) + ".");
        }
        String definitionPath = where.prefix() + "commands." + local;
        String owner = "command '" + name + "'";
        Map<String, @Nullable Object> parameters = arguments(LocalTranslation.map(definition.get("parameters")), arguments, owner,
                Warnings.child(definitionPath, "parameters"), path);
        Object steps = t.interpolation(parameters, owner).resolve(definition.get("steps"),
                Warnings.child(definitionPath, "steps"));
        calls.push(key);
        try {
            expand(steps, Warnings.child(definitionPath, "steps"), where, calls, out);
        } finally {
            calls.pop();
        }
    }

    private @Nullable Step step(Flat flat, LocalSteps.Place place, Optional<String> jobShell, Map<String, String> jobEnvironment,
            LocalTranslation.Invocation inv, List<String> upstream, Set<String> ignored) {
        if (flat.name().startsWith("orb:")) {
            String[] parts = flat.name().split(":", 3);
            Map.Entry<?, ?> only = flat.body().entrySet().iterator().next();
            String command = String.valueOf(only.getKey());
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("command", command);
            parameters.put("orb", parts[2]);
            LocalTranslation.map(only.getValue()).forEach((k, v) -> parameters.put("arguments." + k, LocalExpression.text(v)));
            return new LocalSteps.Foreign("circleci.orb." + LocalSteps.word(parts[1]) + "."
                    + LocalSteps.word(command.substring(command.indexOf('/') + 1)), command, parameters);
        }
        CircleCiStep typed = Steps.read(Map.of(flat.name(), flat.body()), flat.path(), Warnings.detached());
        String path = flat.path();
        if (typed instanceof RunStep r) {
            return run(r, path, place, jobShell, jobEnvironment, ignored);
        }
        if (typed instanceof DeployStep d) {
            return new LocalSteps.Foreign("circleci.deploy", "deploy: " + d.run().name().orElse(d.run().command()
                    .orElse("")), Map.of("command", d.run().command().orElse("")));
        }
        if (typed instanceof CheckoutStep c) {
            return new LocalSteps.Checkout(checkoutPath(c.path().orElse(null), place.workingDirectory()), c.method(),
                    c.depth().map(Object::toString));
        }
        if (typed instanceof SaveCacheStep s) {
            if (s.key().isEmpty() || s.paths().isEmpty()) {
                t.problem(path, "save_cache needs a key and paths.");
                return null;
            }
            Optional<LocalSteps.When> when = when(s.when().orElse("on_success"), path);
            return when.map(w -> new LocalSteps.SaveCache(s.name().orElse("save cache " + s.key().get()), s.key().get(),
                    s.paths(), w, place)).orElse(null);
        }
        if (typed instanceof RestoreCacheStep s) {
            List<String> keys = s.key().map(List::of).orElse(s.keys());
            if (keys.isEmpty()) {
                t.problem(path, "restore_cache needs a key or keys.");
                return null;
            }
            return new LocalSteps.RestoreCache(s.name().orElse("restore cache " + keys.get(0)), keys, place);
        }
        if (typed instanceof StoreArtifactsStep s) {
            if (s.path().isEmpty()) {
                t.problem(path, "store_artifacts needs a path.");
                return null;
            }
            return new LocalSteps.StoreArtifacts(s.name().orElse("store artifacts " + s.path().get()), s.path().get(),
                    s.destination(), place);
        }
        if (typed instanceof StoreTestResultsStep s) {
            if (s.path().isEmpty()) {
                t.problem(path, "store_test_results needs a path.");
                return null;
            }
            return new LocalSteps.StoreTestResults(s.name().orElse("store test results " + s.path().get()),
                    s.path().get(), place);
        }
        if (typed instanceof PersistToWorkspaceStep s) {
            if (s.paths().isEmpty()) {
                t.problem(path, "persist_to_workspace needs paths.");
                return null;
            }
            if (s.root().isEmpty()) {
                t.note("job '" + inv.name + "': persist_to_workspace has no root; the job's working directory is.");
            }
            return new LocalSteps.PersistToWorkspace(s.name().orElse("persist to workspace"), s.root().orElse("."),
                    s.paths(), place);
        }
        if (typed instanceof AttachWorkspaceStep s) {
            if (s.at().isEmpty()) {
                t.problem(path, "attach_workspace needs at.");
                return null;
            }
            return new LocalSteps.AttachWorkspace(s.name().orElse("attach workspace at " + s.at().get()), s.at().get(),
                    upstream, place);
        }
        if (typed instanceof SetupRemoteDockerStep) {
            return new LocalSteps.Foreign("circleci.setup-remote-docker", "setup_remote_docker",
                    stringValues(flat.body()));
        }
        if (typed instanceof AddSshKeysStep) {
            return new LocalSteps.Foreign("circleci.add-ssh-keys", "add_ssh_keys", stringValues(flat.body()));
        }
        t.problem(path, "the " + flat.name() + " step has keys of an unexpected shape.");
        return null;
    }

    private static Map<String, String> stringValues(Map<?, ?> body) {
        Map<String, String> out = new LinkedHashMap<>();
        body.forEach((k, v) -> out.put(String.valueOf(k), v instanceof List<?> l
                ? l.stream().map(LocalExpression::text).collect(Collectors.joining(",")) : LocalExpression.text(v)));
        return out;
    }

    private @Nullable Step run(RunStep r, String path, LocalSteps.Place place, Optional<String> jobShell,
            Map<String, String> jobEnvironment, Set<String> ignored) {
        if (r.command().isEmpty()) {
            t.problem(path, "the run step has no command.");
            return null;
        }
        Optional<LocalSteps.When> when = when(r.when().orElse("on_success"), path);
        if (when.isEmpty()) {
            return null;
        }
        boolean background = false;
        if (r.background().isPresent()) {
            if (r.background().get() instanceof Interpolable.Literal<Boolean> l) {
                background = l.value();
            } else {
                t.problem(Warnings.child(path, "background"), "background is true or false.");
            }
        }
        for (String key : r.extra().keySet()) {
            if (RUN_KEYS.contains(key)) {
                t.problem(Warnings.child(path, key), "the run step's " + key + " has an unexpected shape: "
                        + PlainData.describe(r.extra().get(key)) + ".");
                return null;
            }
            ignored.add("run key '" + key + "'");
        }
        r.noOutputTimeout().ifPresent(t -> ignored.add("no_output_timeout"));
        r.maxAutoReruns().ifPresent(t -> ignored.add("max_auto_reruns"));
        Map<String, String> environment = new LinkedHashMap<>(jobEnvironment);
        r.environment().ifPresent(e -> environment.putAll(environment(FieldWriter.data(e), Warnings.child(path,
                "environment"))));
        String command = r.command().get();
        String name = r.name().orElse(command.strip().lines().findFirst().orElse("run"));
        return new LocalSteps.Run(name, command, environment, r.workingDirectory(), r.shell().or(() -> jobShell),
                background, when.get(), place);
    }

    private Optional<LocalSteps.When> when(String keyword, String path) {
        Optional<LocalSteps.When> when = LocalSteps.When.of(keyword);
        if (when.isEmpty()) {
            t.problem(Warnings.child(path, "when"), "when is on_success, on_fail or always; found '" + keyword + "'.");
        }
        return when;
    }

    /** A checkout's folder, relative to the workspace unless it is outside the job's working directory. */
    static String checkoutPath(@Nullable String path, String workingDirectory) {
        if (path == null || path.isEmpty() || path.equals(".")) {
            return ".";
        }
        String wd = LocalFiles.home(workingDirectory);
        String p = LocalFiles.home(path);
        if (p.equals(wd)) {
            return ".";
        }
        if (p.startsWith(wd + "/")) {
            return p.substring(wd.length() + 1);
        }
        return path;
    }
}
