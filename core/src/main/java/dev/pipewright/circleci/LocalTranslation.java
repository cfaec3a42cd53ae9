package dev.pipewright.circleci;

import dev.pipewright.Filter;
import dev.pipewright.Gate;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.NamePattern;
import dev.pipewright.Pipeline;
import dev.pipewright.Problem;
import dev.pipewright.Ref;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import dev.pipewright.spi.Facts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Turns one workflow of a CircleCI configuration into a {@link Pipeline}, doing what CircleCI's
 * compiler does first: pipeline values and parameters substituted, matrices expanded, commands and
 * {@code steps} parameters spliced in, {@code when}/{@code unless} steps decided. Everything that
 * cannot be done is a positioned {@link ConfigProblem}; everything done differently than on
 * CircleCI (an image not used, a timeout ignored) is a note.
 */
final class LocalTranslation {
    private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,127}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern STAGE_PATH = Pattern.compile("^stage '([^']*)'");
    private static final int MAX_DEPTH = 40;
    private static final Set<String> RUN_KEYS = Set.of("command", "name", "shell", "environment", "background",
            "working_directory", "no_output_timeout", "when", "max_auto_reruns", "auto_rerun_delay");
    private static final Set<String> BUILT_IN = Set.of("run", "checkout", "setup_remote_docker", "save_cache",
            "restore_cache", "store_artifacts", "store_test_results", "persist_to_workspace", "attach_workspace",
            "add_ssh_keys", "deploy");

    /** What the translation gives: a pipeline when there were no problems. */
    record Result(Optional<String> workflow, Optional<Pipeline> pipeline, List<ConfigProblem> problems,
            List<String> notes) {
    }

    /** What a translation needs besides the configuration. */
    record Options(@Nullable String workflow, Facts facts, Map<String, String> pipelineParameters,
            Set<String> secretNames, long pipelineNumber) {
    }

    private final CircleCiConfig config;
    private final Map<String, @Nullable Object> data;
    private final Options options;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> notes = new LinkedHashSet<>();
    private final Map<String, @Nullable Object> pipelineValues = new LinkedHashMap<>();
    private String workflowName = "";

    private LocalTranslation(CircleCiConfig config, Options options) {
        this.config = config;
        this.data = config.data();
        this.options = options;
    }

    static Result translate(CircleCiConfig config, Options options) {
        return new LocalTranslation(config, options).run();
    }

    // ---------------------------------------------------------------- the workflow

    private Result run() {
        pipelineValues();
        Optional<String> chosen = chooseWorkflow();
        if (chosen.isEmpty() || !problems.isEmpty()) {
            return new Result(chosen, Optional.empty(), sorted(), List.copyOf(notes));
        }
        workflowName = chosen.get();
        String prefix = "workflows." + workflowName;
        for (ConfigProblem p : config.check()) {
            if (!p.path().startsWith("workflows.") || p.path().equals(prefix) || p.path().startsWith(prefix + ".")
                    || p.path().startsWith(prefix + "[")) {
                problems.add(p);
            }
        }
        if (!problems.isEmpty()) {
            return new Result(chosen, Optional.empty(), sorted(), List.copyOf(notes));
        }
        Optional<Pipeline> pipeline = pipeline();
        return new Result(chosen, problems.isEmpty() ? pipeline : Optional.empty(), sorted(), List.copyOf(notes));
    }

    private List<ConfigProblem> sorted() {
        List<ConfigProblem> out = new ArrayList<>(new LinkedHashSet<>(problems));
        out.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line()) : Integer.compare(a.column(), b.column()));
        return List.copyOf(out);
    }

    private void problem(String path, String message) {
        YamlReader.Position at = config.positionOf(path);
        problems.add(new ConfigProblem(config.file(), at.line(), at.column(), path, message));
    }

    private void pipelineValues() {
        Facts facts = options.facts();
        Optional<Ref> ref = facts.ref();
        String branch = ref.filter(r -> r.kind() == Ref.Kind.BRANCH).map(Ref::name).orElse("");
        String tag = ref.filter(r -> r.kind() == Ref.Kind.TAG).map(Ref::name).orElse("");
        String commit = facts.commit().orElse("");
        String message = facts.message().orElse("");
        int newline = message.indexOf('\n');
        pipelineValues.put("pipeline.id", UUID.nameUUIDFromBytes((config.file() + "\n" + ref.map(Ref::toString).orElse("")
                + "\n" + commit + "\n" + options.pipelineNumber()).getBytes(StandardCharsets.UTF_8)).toString());
        pipelineValues.put("pipeline.number", options.pipelineNumber());
        pipelineValues.put("pipeline.git.branch", branch);
        pipelineValues.put("pipeline.git.tag", tag);
        pipelineValues.put("pipeline.git.revision", commit);
        pipelineValues.put("pipeline.git.base_revision", "");
        pipelineValues.put("pipeline.git.commit.subject", newline < 0 ? message : message.substring(0, newline));
        pipelineValues.put("pipeline.git.commit.body", newline < 0 ? "" : message.substring(newline + 1).strip());
        pipelineValues.put("pipeline.git.commit.author_name", facts.author().map(a -> a.replaceFirst("\\s*<.*$", ""))
                .orElse(""));
        pipelineValues.put("pipeline.project.git_url", "");
        pipelineValues.put("pipeline.project.slug", "");
        pipelineValues.put("pipeline.project.type", "");
        pipelineValues.put("pipeline.trigger_source", "local");
        pipelineValues.put("pipeline.schedule.name", "");
        pipelineValues.put("pipeline.schedule.id", "");
        Map<?, ?> declared = map(data.get("parameters"));
        for (Map.Entry<String, String> given : options.pipelineParameters().entrySet()) {
            if (!declared.containsKey(given.getKey())) {
                problems.add(new ConfigProblem(config.file(), 0, 0, "parameters", "pipeline parameter '" + given.getKey()
                        + "' was given but is not declared" + known("declared", declared.keySet())
                        + ". Declare it under the top-level parameters or fix the name."));
            }
        }
        LocalInterpolation plain = interpolation(Map.of(), "the configuration");
        declared.forEach((k, v) -> {
            String name = String.valueOf(k);
            String path = "parameters." + name;
            Map<?, ?> declaration = map(v);
            String type = String.valueOf(declaration.get("type"));
            Object value;
            if (options.pipelineParameters().containsKey(name)) {
                value = typed(options.pipelineParameters().get(name), type, declaration, path, name);
            } else if (declaration.containsKey("default")) {
                value = plain.resolve(declaration.get("default"), path + ".default");
            } else {
                problem(path, "pipeline parameter '" + name + "' has no default and no value was given."
                        + " Give it a default, or a value when running (--parameter " + name + "=VALUE).");
                return;
            }
            pipelineValues.put("pipeline.parameters." + name, value);
        });
    }

    /** A pipeline parameter's value given as text, typed as declared. */
    private @Nullable Object typed(String text, String type, Map<?, ?> declaration, String path, String name) {
        String where = "--parameter " + name + "=" + text + ": ";
        switch (type) {
            case "boolean":
                if (text.equals("true") || text.equals("false")) {
                    return Boolean.valueOf(text);
                }
                problem(path, where + "the parameter is a boolean. Give true or false.");
                return null;
            case "integer":
                try {
                    return Long.parseLong(text.strip());
                } catch (NumberFormatException e) {
                    problem(path, where + "the parameter is an integer. Give a whole number.");
                    return null;
                }
            case "enum":
                List<?> values = declaration.get("enum") instanceof List<?> l ? l : List.of();
                if (values.stream().map(String::valueOf).noneMatch(text::equals)) {
                    problem(path, where + "the parameter is one of " + values + ".");
                }
                return text;
            default:
                return text;
        }
    }

    private Optional<String> chooseWorkflow() {
        Map<?, ?> workflows = workflows();
        if (options.workflow() != null) {
            if (!workflows.containsKey(options.workflow())) {
                problem("workflows", "there is no workflow '" + options.workflow() + "'" + known("workflows",
                        workflows.keySet()) + ".");
                return Optional.empty();
            }
            String name = options.workflow();
            if (!runs(name)) {
                problem("workflows." + name, "workflow '" + name + "' does not run for this pipeline: its when/unless"
                        + " condition says no. Change the pipeline parameters or the branch, or pick another workflow.");
            }
            return Optional.of(name);
        }
        if (workflows.isEmpty()) {
            if (map(data.get("jobs")).containsKey("build")) {
                notes.add("the configuration has no workflows: job 'build' runs alone, as CircleCI runs it.");
                return Optional.of("build");
            }
            problem("", "the configuration has no workflows and no job called 'build', so nothing would run."
                    + " Add a workflow under workflows.");
            return Optional.empty();
        }
        if (workflows.size() == 1) {
            String name = String.valueOf(workflows.keySet().iterator().next());
            if (!runs(name)) {
                problem("workflows." + name, "workflow '" + name + "' does not run for this pipeline: its when/unless"
                        + " condition says no. Change the pipeline parameters or the branch.");
            }
            return Optional.of(name);
        }
        List<String> running = workflows.keySet().stream().map(String::valueOf).filter(this::runs).toList();
        boolean conditional = workflows.values().stream().anyMatch(w -> map(w).containsKey("when") || map(w).containsKey("unless"));
        if (running.size() == 1 && conditional) {
            notes.add("workflow '" + running.get(0) + "' is the only one whose when/unless condition lets it run.");
            return Optional.of(running.get(0));
        }
        problem("workflows", "the configuration has " + workflows.size() + " workflows " + workflows.keySet()
                + (running.size() < workflows.size() ? ", of which " + running + " would run" : "")
                + "; name the one to run (circleci run --workflow NAME).");
        return Optional.empty();
    }

    private Map<?, ?> workflows() {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        map(data.get("workflows")).forEach((k, v) -> {
            if (!"version".equals(k)) {
                out.put(String.valueOf(k), v);
            }
        });
        return out;
    }

    private boolean runs(String workflow) {
        Map<?, ?> w = map(workflows().get(workflow));
        String path = "workflows." + workflow;
        boolean ok = true;
        if (w.containsKey("when")) {
            ok = holds(w.get("when"), path + ".when", interpolation(Map.of(), "workflow '" + workflow + "'"));
        }
        if (w.containsKey("unless")) {
            ok &= !holds(w.get("unless"), path + ".unless", interpolation(Map.of(), "workflow '" + workflow + "'"));
        }
        return ok;
    }

    // ---------------------------------------------------------------- conditions

    private LocalInterpolation interpolation(Map<String, @Nullable Object> own, String where) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>(pipelineValues);
        values.putAll(own);
        return new LocalInterpolation(values, where, this::problem, this::localValue);
    }

    /** A pipeline value that means nothing on this machine ({@code pipeline.trigger_parameters.*}, say): empty. */
    private Optional<Object> localValue(String name) {
        if (name.startsWith("pipeline.") && !name.startsWith("pipeline.parameters.")) {
            notes.add("pipeline value '" + name + "' has no meaning in a local run; it is empty.");
            return Optional.of("");
        }
        return Optional.empty();
    }

    /** Whether a logic statement or an expression holds, after its references are resolved. */
    private boolean holds(@Nullable Object condition, String path, LocalInterpolation interpolation) {
        Object resolved = interpolation.resolve(condition, path);
        if (resolved instanceof String s && LocalExpression.looksLikeExpression(s)) {
            return LocalExpression.truthy(expression(s, path));
        }
        return evaluate(Conditions.read(resolved, path, Warnings.detached()), path);
    }

    private @Nullable Object expression(String text, String path) {
        try {
            return LocalExpression.evaluate(text, interpolation(Map.of(), "the expression").names());
        } catch (LocalExpression.Failure e) {
            problem(path, e.getMessage() + ".");
            return false;
        }
    }

    private boolean evaluate(Condition condition, String path) {
        if (condition instanceof Condition.And c) {
            return c.statements().stream().allMatch(s -> evaluate(s, path));
        }
        if (condition instanceof Condition.Or c) {
            return c.statements().stream().anyMatch(s -> evaluate(s, path));
        }
        if (condition instanceof Condition.Not c) {
            return !evaluate(c.statement(), path);
        }
        if (condition instanceof Condition.Equal c) {
            List<@Nullable Object> values = new ArrayList<>();
            for (Condition item : c.values()) {
                values.add(item instanceof Condition.Literal l ? l.value() : (Object) evaluate(item, path));
            }
            return values.stream().allMatch(v -> LocalExpression.same(v, values.get(0)));
        }
        if (condition instanceof Condition.Matches c) {
            try {
                return Pattern.compile(c.pattern()).matcher(c.value()).matches();
            } catch (java.util.regex.PatternSyntaxException e) {
                problem(path, "'" + c.pattern() + "' is not a valid regular expression: " + e.getDescription() + ".");
                return false;
            }
        }
        Object value = ((Condition.Literal) condition).value();
        if (value instanceof Map || value instanceof List) {
            problem(path, "a condition is a logic statement (and, or, not, equal, matches) or a single value, not "
                    + PlainData.describe(value) + ".");
            return false;
        }
        if (value instanceof String s && s.contains("<<")) {
            return false; // unresolved: reported where it was resolved
        }
        if (value instanceof String s && LocalExpression.looksLikeExpression(s)) {
            return LocalExpression.truthy(expression(s, path));
        }
        return LocalExpression.truthy(value);
    }

    // ---------------------------------------------------------------- invocations

    /** One job of the workflow after matrix expansion. */
    private static final class Invocation {
        final String name;
        final String job;
        final String path;
        final Map<String, @Nullable Object> body;
        final Map<String, @Nullable Object> arguments;
        final boolean approval;
        String stage = "";
        Filter filter = Filter.allBranches();
        final List<String> needs = new ArrayList<>();
        final List<String> gates = new ArrayList<>();

        Invocation(String name, String job, String path, Map<String, @Nullable Object> body,
                Map<String, @Nullable Object> arguments, boolean approval) {
            this.name = name;
            this.job = job;
            this.path = path;
            this.body = body;
            this.arguments = arguments;
            this.approval = approval;
        }
    }

    private Optional<Pipeline> pipeline() {
        List<Invocation> invocations = new ArrayList<>();
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        List<?> entries = workflowName.equals("build") && workflows().isEmpty()
                ? List.of(Map.of("build", Map.of()))
                : map(workflows().get(workflowName)).get("jobs") instanceof List<?> l ? l : List.of();
        String workflowPath = "workflows." + workflowName;
        for (int i = 0; i < entries.size(); i++) {
            String entryPath = workflowPath + ".jobs[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry) || entry.size() != 1) {
                problem(entryPath, "a workflow job is a job name or a one-key mapping of a job name to its keys.");
                continue;
            }
            Map.Entry<?, ?> only = entry.entrySet().iterator().next();
            String job = String.valueOf(only.getKey());
            expandMatrix(job, map(only.getValue()), Warnings.child(entryPath, job), invocations, aliases);
        }
        Map<String, Invocation> byName = new LinkedHashMap<>();
        for (Invocation inv : invocations) {
            if (byName.putIfAbsent(inv.name, inv) != null) {
                problem(inv.path, "two jobs of workflow '" + workflowName + "' are called '" + inv.name
                        + "'. Give each its own name with name:.");
            }
        }
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        Set<String> stageNames = new LinkedHashSet<>();
        for (Invocation inv : invocations) {
            if (!inv.approval) {
                inv.stage = stageName(inv.name, stageNames);
            }
            inv.filter = filter(inv);
        }
        for (Invocation inv : invocations) {
            if (!inv.approval) {
                resolveRequires(inv, inv, byName, aliases, new LinkedHashSet<>());
            }
        }
        List<Invocation> runnable = invocations.stream().filter(i -> !i.approval).toList();
        for (Invocation inv : invocations) {
            if (inv.approval && runnable.stream().noneMatch(r -> r.gates.contains(inv.name))) {
                notes.add("approval job '" + inv.name + "' holds no job back: no job requires it.");
            }
        }
        if (runnable.isEmpty()) {
            problem(workflowPath, "workflow '" + workflowName + "' has no job to run, only approvals.");
            return Optional.empty();
        }
        Map<String, List<String>> upstream = upstream(runnable);
        List<String> contexts = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        for (Invocation inv : runnable) {
            if (inv.body.get("context") instanceof List<?> list) {
                list.forEach(c -> contexts.add(String.valueOf(c)));
            }
            Stage stage = stage(inv, upstream.getOrDefault(inv.stage, List.of()));
            if (stage != null) {
                stages.add(stage);
            }
        }
        if (!contexts.isEmpty()) {
            notes.add("contexts " + new LinkedHashSet<>(contexts) + " are not available locally; give the variables"
                    + " they hold in an environment file (--env-file).");
        }
        if (stages.isEmpty() || !problems.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> pathOfStage = new LinkedHashMap<>();
        runnable.forEach(r -> pathOfStage.put(r.stage, r.path));
        while (true) {
            Pipeline.Draft draft = Pipeline.named(sanitize(workflowName))
                    .description("CircleCI workflow '" + workflowName + "' of " + config.file());
            Pipeline.Builder builder = draft.stage(stages.get(0));
            stages.subList(1, stages.size()).forEach(builder::stage);
            try {
                return Optional.of(builder.build());
            } catch (InvalidPipelineException e) {
                Set<String> never = new LinkedHashSet<>();
                List<Problem> others = new ArrayList<>();
                for (Problem p : e.problems()) {
                    Matcher m = STAGE_PATH.matcher(p.path());
                    if (m.find() && p.message().contains("can never run")) {
                        never.add(m.group(1));
                    } else {
                        others.add(p);
                    }
                }
                if (!others.isEmpty() || never.isEmpty()) {
                    for (Problem p : e.problems()) {
                        Matcher m = STAGE_PATH.matcher(p.path());
                        problem(m.find() && pathOfStage.containsKey(m.group(1)) ? pathOfStage.get(m.group(1))
                                : workflowPath, "cannot run locally: " + p);
                    }
                    return Optional.empty();
                }
                Set<String> dropped = new LinkedHashSet<>(never);
                boolean more = true;
                while (more) {
                    more = false;
                    for (Stage st : stages) {
                        if (!dropped.contains(st.name()) && st.needs().stream().anyMatch(dropped::contains)) {
                            dropped.add(st.name());
                            more = true;
                        }
                    }
                }
                notes.add("jobs " + dropped + " are left out: no branch or tag passes both their filters and those of"
                        + " the jobs they require, so they can never run.");
                stages.removeIf(st -> dropped.contains(st.name()));
                if (stages.isEmpty()) {
                    problem(workflowPath, "workflow '" + workflowName + "' has no job that can ever run.");
                    return Optional.empty();
                }
            }
        }
    }

    private void expandMatrix(String job, Map<?, ?> body, String path, List<Invocation> out,
            Map<String, List<String>> aliases) {
        Map<?, ?> matrix = map(body.get("matrix"));
        Map<String, @Nullable Object> rest = new LinkedHashMap<>();
        body.forEach((k, v) -> {
            if (!"matrix".equals(k)) {
                rest.put(String.valueOf(k), v);
            }
        });
        List<Map<String, @Nullable Object>> combinations = body.containsKey("matrix")
                ? combinations(matrix, Warnings.child(path, "matrix")) : List.of(Map.of());
        List<String> names = new ArrayList<>();
        for (Map<String, @Nullable Object> combination : combinations) {
            Map<String, @Nullable Object> own = new LinkedHashMap<>();
            combination.forEach((k, v) -> own.put("matrix." + k, v));
            LocalInterpolation interpolation = interpolation(own, "workflow job '" + job + "'");
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> resolved = (Map<String, @Nullable Object>) interpolation.resolve(rest, path);
            Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
            resolved.forEach((k, v) -> {
                if (!ConfigChecks.ENTRY_KEYS.contains(k)) {
                    arguments.put(k, v);
                }
            });
            arguments.putAll(combination);
            String name;
            if (resolved.get("name") instanceof String n) {
                name = n;
            } else if (body.containsKey("matrix")) {
                name = job + new TreeMap<>(combination).values().stream().map(v -> "-" + LocalExpression.text(v))
                        .collect(Collectors.joining());
            } else {
                name = job;
            }
            boolean approval = "approval".equals(resolved.get("type"))
                    || "approval".equals(map(map(data.get("jobs")).get(job)).get("type"));
            out.add(new Invocation(name, job, path, resolved, arguments, approval));
            names.add(name);
        }
        if (body.containsKey("matrix")) {
            String alias = matrix.get("alias") instanceof String a ? a : job;
            aliases.computeIfAbsent(alias, a -> new ArrayList<>()).addAll(names);
        }
    }

    /** Every combination of the matrix's values, less the excluded ones, the last parameter varying fastest. */
    private List<Map<String, @Nullable Object>> combinations(Map<?, ?> matrix, String path) {
        Map<?, ?> parameters = map(matrix.get("parameters"));
        List<Map<String, @Nullable Object>> all = new ArrayList<>();
        all.add(new LinkedHashMap<>());
        LocalInterpolation interpolation = interpolation(Map.of(), "the matrix");
        for (Map.Entry<?, ?> p : parameters.entrySet()) {
            String name = String.valueOf(p.getKey());
            Object values = interpolation.resolve(p.getValue(), Warnings.child(path, "parameters." + name));
            if (!(values instanceof List<?> list) || list.isEmpty()) {
                problem(Warnings.child(path, "parameters." + name), "a matrix parameter takes a list of values.");
                return List.of();
            }
            List<Map<String, @Nullable Object>> next = new ArrayList<>();
            for (Map<String, @Nullable Object> partial : all) {
                for (Object v : list) {
                    Map<String, @Nullable Object> combination = new LinkedHashMap<>(partial);
                    combination.put(name, v);
                    next.add(combination);
                }
            }
            all = next;
        }
        if (parameters.isEmpty()) {
            problem(path, "a matrix needs parameters, each with a list of values.");
            return List.of();
        }
        List<?> exclude = matrix.get("exclude") instanceof List<?> l ? l : List.of();
        all.removeIf(c -> exclude.stream().anyMatch(e -> e instanceof Map<?, ?> m && !m.isEmpty()
                && m.entrySet().stream().allMatch(x -> LocalExpression.same(c.get(String.valueOf(x.getKey())), x.getValue())
                        || LocalExpression.text(c.get(String.valueOf(x.getKey()))).equals(LocalExpression.text(x.getValue())))));
        if (all.isEmpty()) {
            problem(path, "the matrix excludes every combination of its values.");
        }
        return all;
    }

    /** A stage name for {@code name}: characters a stage name cannot hold become '-'; unique. */
    private String stageName(String name, Set<String> taken) {
        String base = sanitize(name);
        String candidate = base;
        for (int n = 2; taken.contains(candidate); n++) {
            candidate = base + "-" + n;
        }
        if (!candidate.equals(name)) {
            notes.add("job '" + name + "' runs as stage '" + candidate + "': stage names hold letters, digits, '-' and '_'.");
        }
        taken.add(candidate);
        return candidate;
    }

    static String sanitize(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_-]", "-");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            s = "job-" + s;
        }
        if (s.length() > 128) {
            s = s.substring(0, 128);
        }
        return STAGE_NAME.matcher(s).matches() ? s : "job";
    }

    private void resolveRequires(Invocation target, Invocation from, Map<String, Invocation> byName,
            Map<String, List<String>> aliases, Set<String> seen) {
        List<?> requires = from.body.get("requires") instanceof List<?> l ? l : List.of();
        String path = Warnings.child(from.path, "requires");
        for (int r = 0; r < requires.size(); r++) {
            String itemPath = Warnings.item(path, r);
            Object item = requires.get(r);
            Map<String, @Nullable Object> required = new LinkedHashMap<>();
            if (item instanceof Map<?, ?> m) {
                m.forEach((k, v) -> required.put(String.valueOf(k), v));
            } else {
                required.put(LocalExpression.text(item), "success");
            }
            for (Map.Entry<String, @Nullable Object> e : required.entrySet()) {
                if (!acceptsSuccess(e.getKey(), e.getValue(), itemPath, from)) {
                    continue;
                }
                List<String> names = byName.containsKey(e.getKey()) ? List.of(e.getKey()) : aliases.get(e.getKey());
                if (names == null) {
                    problem(itemPath, "'" + e.getKey() + "' is not a job of workflow '" + workflowName + "'"
                            + known("jobs", byName.keySet()) + ".");
                    continue;
                }
                for (String name : names) {
                    Invocation needed = byName.get(name);
                    if (needed.approval) {
                        if (!target.gates.contains(needed.name)) {
                            target.gates.add(needed.name);
                        }
                        target.filter = intersect(target.filter, needed.filter);
                        if (seen.add(needed.name)) {
                            resolveRequires(target, needed, byName, aliases, seen);
                        }
                    } else if (!target.needs.contains(needed.stage) && !needed.stage.equals(target.stage)) {
                        target.needs.add(needed.stage);
                    }
                }
            }
        }
    }

    /** Whether a requirement with these statuses lets the job wait for success; reports those it cannot. */
    private boolean acceptsSuccess(String job, @Nullable Object statuses, String path, Invocation from) {
        List<String> words = new ArrayList<>();
        if (statuses instanceof List<?> list) {
            list.forEach(s -> words.add(String.valueOf(s)));
        } else {
            words.add(String.valueOf(statuses));
        }
        for (String w : words) {
            if (JobStatus.ofKeyword(w).isEmpty()) {
                problem(path, "'" + w + "' is not a job status; use success, failed, canceled, not_run, unauthorized"
                        + " or terminal.");
                return false;
            }
        }
        if (words.equals(List.of("success"))) {
            return true;
        }
        if (words.contains("success") || words.contains("terminal")) {
            notes.add("job '" + from.name + "' requires '" + job + "' to end " + words + "; locally it waits for '" + job
                    + "' to succeed, and does not run when it fails.");
            return true;
        }
        problem(path, "job '" + from.name + "' runs only when '" + job + "' ends " + words + ", which a local run"
                + " cannot do: a stage starts only after the stages it needs succeeded. Require success (or terminal),"
                + " or run that job separately.");
        return false;
    }

    /** The jobs each stage waits for, directly or not, in the order the stages are declared. */
    private static Map<String, List<String>> upstream(List<Invocation> runnable) {
        Map<String, List<String>> needs = new LinkedHashMap<>();
        runnable.forEach(r -> needs.put(r.stage, r.needs));
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Invocation r : runnable) {
            Set<String> all = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(r.needs);
            while (!todo.isEmpty()) {
                String s = todo.pop();
                if (all.add(s)) {
                    todo.addAll(needs.getOrDefault(s, List.of()));
                }
            }
            out.put(r.stage, topological(needs).stream().filter(all::contains).toList());
        }
        return out;
    }

    private static List<String> topological(Map<String, List<String>> needs) {
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<String, List<String>> e : needs.entrySet()) {
                if (!done.contains(e.getKey()) && done.containsAll(e.getValue().stream().filter(needs::containsKey).toList())) {
                    done.add(e.getKey());
                    order.add(e.getKey());
                    progress = true;
                }
            }
        }
        return order;
    }

    // ---------------------------------------------------------------- filters

    private Filter filter(Invocation inv) {
        Object filters = inv.body.get("filters");
        String path = Warnings.child(inv.path, "filters");
        if (filters == null) {
            return Filter.allBranches();
        }
        if (filters instanceof String expression) {
            return expressionFilter(expression, path, inv.name);
        }
        if (!(filters instanceof Map<?, ?> m)) {
            problem(path, "filters are a mapping of branches and tags, or an expression.");
            return Filter.allBranches();
        }
        Filter.Builder b = Filter.builder();
        Map<?, ?> branches = map(m.get("branches"));
        Map<?, ?> tags = map(m.get("tags"));
        if (branches.containsKey("only")) {
            b.onlyBranches(patterns(branches.get("only")));
        }
        if (branches.containsKey("ignore")) {
            b.ignoreBranches(patterns(branches.get("ignore")));
        }
        if (tags.containsKey("only")) {
            b.onlyTags(patterns(tags.get("only")));
        }
        if (tags.containsKey("ignore")) {
            b.ignoreTags(patterns(tags.get("ignore")));
        }
        if (m.containsKey("tags") && !tags.containsKey("only") && !tags.containsKey("ignore")) {
            b.ignoreTags("/(?!)/"); // tags: {} still turns tag runs on
        }
        try {
            return b.build();
        } catch (InvalidPipelineException e) {
            e.problems().forEach(p -> problem(path, p.toString()));
            return Filter.allBranches();
        }
    }

    private static String[] patterns(@Nullable Object value) {
        List<?> list = value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
        return list.stream().map(LocalExpression::text).toArray(String[]::new);
    }

    /** An expression filter, decided for this run's branch or tag: a filter that lets exactly it through, or not. */
    private Filter expressionFilter(String expression, String path, String job) {
        boolean runs = LocalExpression.truthy(expression(expression, path));
        Optional<Ref> ref = options.facts().ref();
        if (ref.isEmpty()) {
            notes.add("job '" + job + "' has an expression filter, decided for a run with no branch or tag: it "
                    + (runs ? "runs." : "does not run."));
            return runs ? Filter.allBranches() : Filter.builder().onlyBranches("/(?!)/").build();
        }
        String quoted = "/" + Pattern.quote(ref.get().name()) + "/";
        if (ref.get().kind() == Ref.Kind.BRANCH) {
            return runs ? Filter.allBranches() : Filter.builder().ignoreBranches(quoted).build();
        }
        return runs ? Filter.builder().onlyTags(quoted).build() : Filter.allBranches();
    }

    /** The branches and tags both filters let through. */
    static Filter intersect(Filter a, Filter b) {
        Filter.Builder out = Filter.builder();
        List<String> onlyBranches = both(a.onlyBranches(), b.onlyBranches());
        List<String> ignoreBranches = union(a.ignoreBranches(), b.ignoreBranches());
        if (!onlyBranches.isEmpty()) {
            out.onlyBranches(onlyBranches.toArray(String[]::new));
        }
        if (!ignoreBranches.isEmpty()) {
            out.ignoreBranches(ignoreBranches.toArray(String[]::new));
        }
        if (a.hasTagFilter() && b.hasTagFilter()) {
            List<String> onlyTags = both(a.onlyTags(), b.onlyTags());
            List<String> ignoreTags = union(a.ignoreTags(), b.ignoreTags());
            if (!onlyTags.isEmpty()) {
                out.onlyTags(onlyTags.toArray(String[]::new));
            }
            if (!ignoreTags.isEmpty() || onlyTags.isEmpty()) {
                ignoreTags = ignoreTags.isEmpty() ? List.of("/(?!)/") : ignoreTags;
                out.ignoreTags(ignoreTags.toArray(String[]::new));
            }
        }
        return out.build();
    }

    /** Patterns a name must match one of from each list: a list left empty means any name. */
    private static List<String> both(List<NamePattern> a, List<NamePattern> b) {
        if (a.isEmpty() || b.isEmpty() || a.equals(b)) {
            return (a.isEmpty() ? b : a).stream().map(NamePattern::text).toList();
        }
        return List.of("/(?=(?:" + alternatives(a) + ")$)(?:" + alternatives(b) + ")/");
    }

    private static String alternatives(List<NamePattern> patterns) {
        return patterns.stream().map(p -> p.isRegex() ? "(?:" + p.text().substring(1, p.text().length() - 1) + ")"
                : Pattern.quote(p.text())).collect(Collectors.joining("|"));
    }

    private static List<String> union(List<NamePattern> a, List<NamePattern> b) {
        Set<String> all = new LinkedHashSet<>();
        a.forEach(p -> all.add(p.text()));
        b.forEach(p -> all.add(p.text()));
        return List.copyOf(all);
    }

    // ---------------------------------------------------------------- jobs

    /** Where definitions are looked up: the configuration's, or an inline orb's. */
    private record Scope(String prefix, Map<?, ?> commands, Map<?, ?> executors, Map<?, ?> jobs, Map<?, ?> orbs) {
    }

    private Scope topScope() {
        return new Scope("", map(data.get("commands")), map(data.get("executors")), map(data.get("jobs")),
                map(data.get("orbs")));
    }

    private Scope orbScope(Scope from, String alias) {
        Map<?, ?> orb = map(from.orbs().get(alias));
        return new Scope(from.prefix() + "orbs." + alias + ".", map(orb.get("commands")), map(orb.get("executors")),
                map(orb.get("jobs")), map(orb.get("orbs")));
    }

    /** What an executor gives a job. */
    private record Host(Optional<String> shell, Optional<String> workingDirectory, Map<String, String> environment,
            Optional<String> describe) {
    }

    private @Nullable Stage stage(Invocation inv, List<String> upstream) {
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
            problem(inv.path, "job '" + job + "' is not defined" + known("jobs", scope.jobs().keySet()) + ".");
            return null;
        }
        String owner = "job '" + job + "'";
        Map<String, @Nullable Object> parameters = arguments(map(definition.get("parameters")), inv.arguments, owner,
                Warnings.child(definitionPath, "parameters"), inv.path);
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        definition.forEach((k, v) -> {
            if (!"parameters".equals(k)) {
                body.put(String.valueOf(k), v);
            }
        });
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> resolved = (Map<String, @Nullable Object>) interpolation(parameters, owner)
                .resolve(body, definitionPath);
        Stage.Builder stage = Stage.named(inv.stage)
                .description("CircleCI job '" + inv.name + "'" + (inv.name.equals(job) ? "" : " (job '" + job + "')"));
        stage.needs(inv.needs.toArray(String[]::new));
        for (String gate : inv.gates) {
            stage.gate(Gate.manualApproval(a -> a.name(sanitize(gate))
                    .message("Approve '" + gate + "' in workflow '" + workflowName + "'?")));
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
            notes.add("job '" + inv.name + "' is a " + type + " job: it does nothing locally.");
            return build(stage);
        }
        Host host = machine(resolved, inv, scope, definitionPath);
        host.describe().ifPresent(d -> notes.add("job '" + inv.name + "': " + d));
        if (resolved.get("parallelism") instanceof Number n && n.longValue() > 1) {
            notes.add("job '" + inv.name + "': parallelism " + n + " is not used; the job runs once "
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
        List<String> secrets = options.secretNames().stream().filter(s -> !environment.containsKey(s)).toList();
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
            notes.add("job '" + inv.name + "': ignored locally: " + String.join(", ", ignored) + ".");
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

    private Stage foreignJob(Invocation inv, String alias, String orb) {
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
            stage.gate(Gate.manualApproval(a -> a.name(sanitize(gate))));
        }
        Filter filter = inv.filter;
        stage.filter(f -> {
            f.onlyBranches(texts(filter.onlyBranches()));
            f.ignoreBranches(texts(filter.ignoreBranches()));
            f.onlyTags(texts(filter.onlyTags()));
            f.ignoreTags(texts(filter.ignoreTags()));
        });
        stage.secrets(options.secretNames().toArray(String[]::new));
        return stage.build();
    }

    private Host machine(Map<String, @Nullable Object> job, Invocation inv, Scope scope, String path) {
        Map<String, String> environment = new LinkedHashMap<>();
        Optional<String> shell = Optional.empty();
        Optional<String> workingDirectory = Optional.empty();
        List<String> unused = new ArrayList<>();
        if (job.get("docker") instanceof List<?> images && !images.isEmpty()) {
            Map<?, ?> primary = map(images.get(0));
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
                problem(Warnings.child(path, "executor"), "an executor is a name or a mapping with its name and arguments.");
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
                    Map<String, @Nullable Object> parameters = arguments(map(definition.get("parameters")), arguments,
                            "executor '" + name + "'", Warnings.child(definitionPath, "parameters"),
                            Warnings.child(path, "executor"));
                    Map<String, @Nullable Object> body = new LinkedHashMap<>();
                    definition.forEach((k, v) -> {
                        if (!"parameters".equals(k)) {
                            body.put(String.valueOf(k), v);
                        }
                    });
                    @SuppressWarnings("unchecked")
                    Map<String, @Nullable Object> resolved = (Map<String, @Nullable Object>) interpolation(parameters,
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
                    problem(Warnings.child(path, "executor"), "executor '" + name + "' is not defined"
                            + known("executors", scope.executors().keySet()) + ".");
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
                    problem(Warnings.child(path, String.valueOf(k)), "an environment variable's value is a single value.");
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
                problem(Warnings.item(path, i), "'" + a + "' is not NAME=value.");
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
                problem(Warnings.child(argumentsPath, k), owner + " declares no parameter '" + k + "'"
                        + known("parameters", declared.keySet()) + ".");
            }
        }
        LocalInterpolation defaults = interpolation(Map.of(), owner);
        for (Map.Entry<?, ?> e : declared.entrySet()) {
            String name = String.valueOf(e.getKey());
            Map<?, ?> declaration = map(e.getValue());
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
                problem(argumentsPath, owner + " needs a value for parameter '" + name + "' (" + type
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
                problem(path, what + "; found " + PlainData.describe(value) + ". Give true or false.");
                return false;
            case "integer":
                if (value instanceof Long || value instanceof java.math.BigInteger) {
                    return value;
                }
                problem(path, what + "; found " + PlainData.describe(value) + ". Give a whole number.");
                return 0L;
            case "enum":
                List<?> values = declaration.get("enum") instanceof List<?> l ? l : List.of();
                String text = LocalExpression.text(value);
                if (values.stream().map(LocalExpression::text).noneMatch(text::equals)) {
                    problem(path, what + " of " + values + "; found " + PlainData.describe(value) + ".");
                }
                return text;
            case "steps":
                if (value instanceof List<?>) {
                    return value;
                }
                problem(path, what + " (a list of steps); found " + PlainData.describe(value) + ".");
                return List.of();
            case "executor":
                if (value instanceof String || value instanceof Map) {
                    return value;
                }
                problem(path, what + " (a name, or a mapping with its name and arguments); found "
                        + PlainData.describe(value) + ".");
                return value;
            case "env_var_name":
                if (value instanceof String s && VARIABLE.matcher(s).matches()) {
                    return value;
                }
                problem(path, what + " (letters, digits and _); found " + PlainData.describe(value) + ".");
                return LocalExpression.text(value);
            case "string":
                if (value instanceof Map || value instanceof List) {
                    problem(path, what + "; found " + PlainData.describe(value) + ".");
                    return "";
                }
                return LocalExpression.text(value);
            default:
                problem(Warnings.child(path, "type"), "'" + type + "' is not a parameter type; use string, boolean,"
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
            problem(path, "steps are a list; found " + PlainData.describe(steps) + ".");
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
                problem(itemPath, "a step is a one-key mapping of a built-in step or a command to its keys; found "
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
                Map<?, ?> fields = map(body);
                if (!fields.containsKey("condition")) {
                    problem(at, "a " + name + " step needs a condition.");
                    continue;
                }
                boolean holds = holds(fields.get("condition"), Warnings.child(at, "condition"),
                        interpolation(Map.of(), "the " + name + " step"));
                if (holds == name.equals("when")) {
                    expand(fields.get("steps"), Warnings.child(at, "steps"), scope, calls, out);
                }
            } else if (BUILT_IN.contains(name)) {
                if (body instanceof Map<?, ?> fields) {
                    out.add(new Flat(name, fields, at));
                } else {
                    problem(at, "the " + name + " step takes a mapping of its keys; found " + PlainData.describe(body) + ".");
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
            problem(path, "command '" + name + "' is not defined" + known("commands", scope.commands().keySet()) + ".");
            return;
        }
        String key = where.prefix() + local;
        if (calls.contains(key) || calls.size() >= MAX_DEPTH) {
            problem(path, "command '" + name + "' calls itself: " + String.join(" -> ", calls) + " -> " + key
                    + ". Break the loop.");
            return;
        }
        Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> m) {
            m.forEach((k, v) -> arguments.put(String.valueOf(k), v));
        } else if (body != null) {
            problem(path, "a command's arguments are a mapping; found " + PlainData.describe(body) + ".");
        }
        String definitionPath = where.prefix() + "commands." + local;
        String owner = "command '" + name + "'";
        Map<String, @Nullable Object> parameters = arguments(map(definition.get("parameters")), arguments, owner,
                Warnings.child(definitionPath, "parameters"), path);
        Object steps = interpolation(parameters, owner).resolve(definition.get("steps"),
                Warnings.child(definitionPath, "steps"));
        calls.push(key);
        try {
            expand(steps, Warnings.child(definitionPath, "steps"), where, calls, out);
        } finally {
            calls.pop();
        }
    }

    private @Nullable Step step(Flat flat, LocalSteps.Place place, Optional<String> jobShell, Map<String, String> jobEnvironment,
            Invocation inv, List<String> upstream, Set<String> ignored) {
        if (flat.name().startsWith("orb:")) {
            String[] parts = flat.name().split(":", 3);
            Map.Entry<?, ?> only = flat.body().entrySet().iterator().next();
            String command = String.valueOf(only.getKey());
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("command", command);
            parameters.put("orb", parts[2]);
            map(only.getValue()).forEach((k, v) -> parameters.put("arguments." + k, LocalExpression.text(v)));
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
                problem(path, "save_cache needs a key and paths.");
                return null;
            }
            Optional<LocalSteps.When> when = when(s.when().orElse("on_success"), path);
            return when.map(w -> new LocalSteps.SaveCache(s.name().orElse("save cache " + s.key().get()), s.key().get(),
                    s.paths(), w, place)).orElse(null);
        }
        if (typed instanceof RestoreCacheStep s) {
            List<String> keys = s.key().map(List::of).orElse(s.keys());
            if (keys.isEmpty()) {
                problem(path, "restore_cache needs a key or keys.");
                return null;
            }
            return new LocalSteps.RestoreCache(s.name().orElse("restore cache " + keys.get(0)), keys, place);
        }
        if (typed instanceof StoreArtifactsStep s) {
            if (s.path().isEmpty()) {
                problem(path, "store_artifacts needs a path.");
                return null;
            }
            return new LocalSteps.StoreArtifacts(s.name().orElse("store artifacts " + s.path().get()), s.path().get(),
                    s.destination(), place);
        }
        if (typed instanceof StoreTestResultsStep s) {
            if (s.path().isEmpty()) {
                problem(path, "store_test_results needs a path.");
                return null;
            }
            return new LocalSteps.StoreTestResults(s.name().orElse("store test results " + s.path().get()),
                    s.path().get(), place);
        }
        if (typed instanceof PersistToWorkspaceStep s) {
            if (s.paths().isEmpty()) {
                problem(path, "persist_to_workspace needs paths.");
                return null;
            }
            if (s.root().isEmpty()) {
                notes.add("job '" + inv.name + "': persist_to_workspace has no root; the job's working directory is.");
            }
            return new LocalSteps.PersistToWorkspace(s.name().orElse("persist to workspace"), s.root().orElse("."),
                    s.paths(), place);
        }
        if (typed instanceof AttachWorkspaceStep s) {
            if (s.at().isEmpty()) {
                problem(path, "attach_workspace needs at.");
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
        problem(path, "the " + flat.name() + " step has keys of an unexpected shape.");
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
            problem(path, "the run step has no command.");
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
                problem(Warnings.child(path, "background"), "background is true or false.");
            }
        }
        for (String key : r.extra().keySet()) {
            if (RUN_KEYS.contains(key)) {
                problem(Warnings.child(path, key), "the run step's " + key + " has an unexpected shape: "
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
            problem(Warnings.child(path, "when"), "when is on_success, on_fail or always; found '" + keyword + "'.");
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

    // ---------------------------------------------------------------- small things

    private static Map<?, ?> map(@Nullable Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String known(String what, Set<?> names) {
        return names.isEmpty() ? "; there are no " + what : "; " + what + ": " + names;
    }
}
