package dev.pipewright.circleci;

import dev.pipewright.Filter;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.NamePattern;
import dev.pipewright.Pipeline;
import dev.pipewright.Problem;
import dev.pipewright.Ref;
import dev.pipewright.Stage;
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
    private static final Pattern STAGE_PATH = Pattern.compile("^stage '([^']*)'");

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
    private final LocalJobs jobs = new LocalJobs(this);
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

    void problem(String path, String message) {
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
                        + "' was given but is not declared" + known("pipeline parameters", declared.keySet())
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

    LocalInterpolation interpolation(Map<String, @Nullable Object> own, String where) {
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
    boolean holds(@Nullable Object condition, String path, LocalInterpolation interpolation) {
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
    static final class Invocation {
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
            Stage stage = jobs.stage(inv, upstream.getOrDefault(inv.stage, List.of()));
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

    // ---------------------------------------------------------------- small things

    /** A note on what runs differently than on CircleCI. */
    void note(String note) {
        notes.add(note);
    }

    Map<String, @Nullable Object> data() {
        return data;
    }

    Options options() {
        return options;
    }

    String workflowName() {
        return workflowName;
    }

    static Map<?, ?> map(@Nullable Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    static String known(String what, Set<?> names) {
        return names.isEmpty() ? "; there are no " + what : "; " + what + ": " + names;
    }
}
