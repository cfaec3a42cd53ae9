package dev.pipewright.circleci;

import dev.pipewright.internal.Graph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The reference checks CircleCI's config compiler makes, over canonical data: what is used must
 * be defined, arguments must be declared parameters, {@code requires} must name jobs of the same
 * workflow and must not form cycles. Orb contents are not known offline, so anything reached
 * through a declared orb alias ({@code aws-cli/setup}) is accepted.
 */
final class ConfigChecks {
    static final Set<String> BUILT_IN_STEPS = Set.of("run", "checkout", "setup_remote_docker", "save_cache",
            "restore_cache", "store_artifacts", "store_test_results", "persist_to_workspace", "attach_workspace",
            "add_ssh_keys", "deploy", "when", "unless");
    /** Keys of a workflow job entry that configure the entry rather than pass arguments to the job. */
    static final Set<String> ENTRY_KEYS = Set.of("requires", "name", "context", "type", "filters", "matrix",
            "pre-steps", "post-steps", "serial-group", "override-with");

    private final CircleCiConfig config;
    private final Map<String, @Nullable Object> data;
    private final List<ConfigProblem> problems = new ArrayList<>();

    ConfigChecks(CircleCiConfig config) {
        this.config = config;
        this.data = config.data();
    }

    List<ConfigProblem> run() {
        Object version = data.get("version");
        if (version == null) {
            add("version", "the config has no version. Add version: 2.1 at the top.");
        } else if (!List.of("2", "2.0", "2.1").contains(String.valueOf(version))) {
            add("version", "version " + version + " is not one CircleCI runs. Use 2.1.");
        }
        Map<?, ?> jobs = map(data.get("jobs"));
        Map<?, ?> commands = map(data.get("commands"));
        Map<?, ?> executors = map(data.get("executors"));
        Set<String> orbs = keys(data.get("orbs"));
        Set<String> jobGroups = keys(data.get("job-groups"));
        commands.forEach((name, command) -> checkSteps(map(command).get("steps"), "commands." + name + ".steps",
                commands, orbs));
        jobs.forEach((name, job) -> {
            Map<?, ?> j = map(job);
            String path = "jobs." + name;
            checkSteps(j.get("steps"), path + ".steps", commands, orbs);
            checkExecutorReference(j.get("executor"), path + ".executor", executors, orbs);
        });
        map(data.get("workflows")).forEach((name, workflow) -> {
            if (workflow instanceof Map<?, ?> w) {
                checkWorkflow(w, "workflows." + name, jobs, jobGroups, commands, orbs);
            }
        });
        return List.copyOf(problems);
    }

    private void checkWorkflow(Map<?, ?> workflow, String path, Map<?, ?> jobs, Set<String> jobGroups,
            Map<?, ?> commands, Set<String> orbs) {
        if (!(workflow.get("jobs") instanceof List<?> entries)) {
            return;
        }
        Map<String, List<String>> requires = new LinkedHashMap<>();
        Map<String, String> entryPaths = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i) instanceof Map<?, ?> entry && entry.size() == 1) {
                Map.Entry<?, ?> only = entry.entrySet().iterator().next();
                Map<?, ?> body = map(only.getValue());
                String job = String.valueOf(only.getKey());
                names.add(invocationName(job, body));
                if (body.get("matrix") instanceof Map<?, ?> matrix && matrix.get("alias") instanceof String alias) {
                    names.add(alias);
                }
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            String entryPath = path + ".jobs[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry) || entry.size() != 1) {
                continue;
            }
            Map.Entry<?, ?> only = entry.entrySet().iterator().next();
            String job = String.valueOf(only.getKey());
            Map<?, ?> body = map(only.getValue());
            String bodyPath = entryPath + "." + job;
            boolean approval = "approval".equals(body.get("type"));
            Map<?, ?> definition = map(jobs.get(job));
            if (!approval && !jobs.containsKey(job) && !jobGroups.contains(job) && !viaOrb(job, orbs)) {
                add(entryPath, "job '" + job + "' is not defined" + known("jobs", jobs.keySet())
                        + ". Define it under jobs, fix the name, or give the entry type: approval.");
            } else if (!approval && jobs.containsKey(job)) {
                Set<String> declared = keys(definition.get("parameters"));
                for (Object key : body.keySet()) {
                    String k = String.valueOf(key);
                    if (!ENTRY_KEYS.contains(k) && !declared.contains(k)) {
                        add(bodyPath + "." + k, "job '" + job + "' declares no parameter '" + k + "'"
                                + known("parameters", declared) + ".");
                    }
                }
                if (body.get("matrix") instanceof Map<?, ?> matrix) {
                    for (Object key : map(matrix.get("parameters")).keySet()) {
                        if (!declared.contains(String.valueOf(key))) {
                            add(bodyPath + ".matrix.parameters." + key, "job '" + job + "' declares no parameter '"
                                    + key + "'" + known("parameters", declared) + ".");
                        }
                    }
                }
            }
            if (body.get("override-with") instanceof String override && !viaOrb(override, orbs)) {
                add(bodyPath + ".override-with", "'" + override + "' is not a job of a declared orb"
                        + known("orbs", orbs) + ".");
            }
            checkSteps(body.get("pre-steps"), bodyPath + ".pre-steps", commands, orbs);
            checkSteps(body.get("post-steps"), bodyPath + ".post-steps", commands, orbs);
            String name = invocationName(job, body);
            List<String> needs = new ArrayList<>();
            if (body.get("requires") instanceof List<?> list) {
                for (int r = 0; r < list.size(); r++) {
                    for (String required : requiredNames(list.get(r))) {
                        needs.add(required);
                        if (!names.contains(required) && !required.contains("<<")) {
                            add(bodyPath + ".requires[" + r + "]", "'" + required + "' is not a job of this workflow"
                                    + known("jobs", names) + ".");
                        }
                    }
                }
            }
            requires.merge(name, needs, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
            entryPaths.putIfAbsent(name, bodyPath);
        }
        for (List<String> cycle : Graph.of(requires).cycles()) {
            add(entryPaths.get(cycle.get(0)) + ".requires", "cycle in requires: " + String.join(" -> ", cycle)
                    + ". Remove one of these requirements.");
        }
    }

    /** The names a {@code requires} item waits for: a name, or the keys of {@code {name: status}}. */
    private static List<String> requiredNames(@Nullable Object item) {
        if (item instanceof Map<?, ?> m) {
            return m.keySet().stream().map(String::valueOf).toList();
        }
        return item == null ? List.of() : List.of(String.valueOf(item));
    }

    private static String invocationName(String job, Map<?, ?> body) {
        return body.get("name") instanceof String n ? n : job;
    }

    private void checkSteps(@Nullable Object steps, String path, Map<?, ?> commands, Set<String> orbs) {
        if (!(steps instanceof List<?> list)) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> step) || step.size() != 1) {
                continue;
            }
            Map.Entry<?, ?> only = step.entrySet().iterator().next();
            String name = String.valueOf(only.getKey());
            String stepPath = path + "[" + i + "]";
            Map<?, ?> body = map(only.getValue());
            if (name.equals("when") || name.equals("unless")) {
                checkSteps(body.get("steps"), stepPath + "." + name + ".steps", commands, orbs);
            } else if (BUILT_IN_STEPS.contains(name) || name.equals("steps")) {
                continue;
            } else if (commands.containsKey(name)) {
                Set<String> declared = keys(map(commands.get(name)).get("parameters"));
                for (Object key : body.keySet()) {
                    if (!declared.contains(String.valueOf(key))) {
                        add(stepPath + "." + name + "." + key, "command '" + name + "' declares no parameter '" + key
                                + "'" + known("parameters", declared) + ".");
                    }
                }
            } else if (!viaOrb(name, orbs)) {
                add(stepPath, (name.contains("/") ? "orb '" + name.substring(0, name.indexOf('/'))
                        + "' is not declared" + known("orbs", orbs) : "command '" + name + "' is not defined"
                        + known("commands", commands.keySet())) + ".");
            }
        }
    }

    private void checkExecutorReference(@Nullable Object executor, String path, Map<?, ?> executors, Set<String> orbs) {
        String name = executor instanceof String s ? s : executor instanceof Map<?, ?> m && m.get("name") instanceof String n
                ? n : null;
        if (name == null || name.contains("<<")) {
            return;
        }
        if (executors.containsKey(name)) {
            Set<String> declared = keys(map(executors.get(name)).get("parameters"));
            if (executor instanceof Map<?, ?> m) {
                for (Object key : m.keySet()) {
                    if (!key.equals("name") && !declared.contains(String.valueOf(key))) {
                        add(path + "." + key, "executor '" + name + "' declares no parameter '" + key + "'"
                                + known("parameters", declared) + ".");
                    }
                }
            }
        } else if (!viaOrb(name, orbs)) {
            add(path, "executor '" + name + "' is not defined" + known("executors", executors.keySet()) + ".");
        }
    }

    /** Whether {@code name} is {@code alias/thing} with a declared orb alias. */
    private static boolean viaOrb(String name, Set<String> orbs) {
        int slash = name.indexOf('/');
        return slash > 0 && orbs.contains(name.substring(0, slash));
    }

    private void add(String path, String message) {
        YamlReader.Position p = config.positionOf(path);
        problems.add(new ConfigProblem(config.file(), p.line(), p.column(), path, message));
    }

    private static String known(String what, Set<?> names) {
        return names.isEmpty() ? "; there are no " + what : "; " + what + ": " + names;
    }

    private static Map<?, ?> map(@Nullable Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static Set<String> keys(@Nullable Object value) {
        Set<String> keys = new LinkedHashSet<>();
        map(value).keySet().forEach(k -> keys.add(String.valueOf(k)));
        return keys;
    }
}
