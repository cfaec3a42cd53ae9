package dev.pipewright.circleci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Expands CircleCI's shorthand forms into the one form the model and the emitter use, so that
 * two configurations that mean the same have the same data:
 *
 * <ul>
 *   <li>a step written as a bare name ({@code - checkout}, {@code - my-command}) or with a null
 *       body becomes {@code {name: {}}}; {@code run: cmd} (and the deprecated {@code deploy})
 *       becomes {@code run: {command: cmd}}; a single path or fingerprint becomes a list; steps
 *       inside {@code when}/{@code unless}, {@code pre-steps}, {@code post-steps} and the default of a
 *       {@code steps} parameter alike;
 *   <li>a workflow (or job group) job written as a bare name or with a null body becomes
 *       {@code {job: {}}};
 *       a single {@code requires} or {@code context} becomes a list;
 *   <li>a single branch or tag pattern under {@code only}/{@code ignore} becomes a list, in workflow
 *       job filters, schedule filters and the legacy job-level {@code branches};
 *   <li>{@code environment} given as a list of one-key maps becomes one map.
 * </ul>
 *
 * A step written {@code << parameters.steps >>} stays as it is: it expands a {@code steps}
 * parameter. Everything the rules do not name is kept unchanged, unknown keys included.
 * Idempotent: canonical data is its own canonical form.
 */
final class Canonical {
    private static final Set<String> STEP_LISTS = Set.of("steps", "pre-steps", "post-steps");

    private Canonical() {
    }

    /** The canonical form of a whole configuration (or of an inline orb's body). */
    static Object config(@Nullable Object root) {
        if (!(root instanceof Map<?, ?> map)) {
            return root;
        }
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            String key = (String) k;
            out.put(key, switch (key) {
                case "jobs", "executors", "commands" -> eachValue(v, Canonical::element);
                case "orbs" -> eachValue(v, orb -> orb instanceof Map ? config(orb) : orb);
                case "workflows", "job-groups" -> eachValue(v, Canonical::workflow);
                default -> v;
            });
        });
        return Collections.unmodifiableMap(out);
    }

    /** A job, command or executor definition: its steps and environment. */
    private static @Nullable Object element(@Nullable Object element) {
        if (!(element instanceof Map<?, ?> map)) {
            return element;
        }
        return mapValues(map, (key, v) -> switch (key) {
            case "steps" -> steps(v);
            case "environment" -> environment(v);
            case "docker" -> v instanceof List<?> images ? eachItem(images, Canonical::dockerImage) : v;
            case "branches" -> patterns(v);
            case "parameters" -> eachValue(v, Canonical::parameter);
            default -> v;
        });
    }

    /** A parameter declaration: the default of a {@code steps} parameter is a list of steps. */
    private static @Nullable Object parameter(@Nullable Object parameter) {
        if (!(parameter instanceof Map<?, ?> map) || !"steps".equals(map.get("type"))) {
            return parameter;
        }
        return mapValues(map, (key, v) -> key.equals("default") ? steps(v) : v);
    }

    private static @Nullable Object dockerImage(@Nullable Object image) {
        return image instanceof Map<?, ?> map ? mapValues(map, (k, v) -> k.equals("environment") ? environment(v) : v)
                : image;
    }

    private static @Nullable Object workflow(@Nullable Object workflow) {
        if (!(workflow instanceof Map<?, ?> map)) {
            return workflow;
        }
        return mapValues(map, (key, v) -> switch (key) {
            case "jobs" -> v instanceof List<?> jobs ? eachItem(jobs, Canonical::workflowJob) : v;
            case "triggers" -> v instanceof List<?> triggers ? eachItem(triggers, Canonical::trigger) : v;
            default -> v;
        });
    }

    private static @Nullable Object trigger(@Nullable Object trigger) {
        if (!(trigger instanceof Map<?, ?> map)) {
            return trigger;
        }
        return mapValues(map, (key, v) -> key.equals("schedule") && v instanceof Map<?, ?> schedule
                ? mapValues(schedule, (k, f) -> k.equals("filters") ? filters(f) : f) : v);
    }

    private static @Nullable Object workflowJob(@Nullable Object entry) {
        if (entry instanceof String name) {
            return Map.of(name, Map.of());
        }
        if (!(entry instanceof Map<?, ?> map) || map.size() != 1) {
            return entry;
        }
        Map.Entry<?, ?> only = map.entrySet().iterator().next();
        Object body = only.getValue();
        if (body == null) {
            return Map.of(only.getKey(), Map.of());
        }
        if (!(body instanceof Map<?, ?> fields)) {
            return entry;
        }
        return Map.of(only.getKey(), mapValues(fields, (key, v) -> switch (key) {
            case "requires", "context" -> v instanceof String s ? List.of(s) : v;
            case "filters" -> filters(v);
            case "pre-steps", "post-steps" -> steps(v);
            default -> v;
        }));
    }

    private static @Nullable Object filters(@Nullable Object filters) {
        if (!(filters instanceof Map<?, ?> map)) {
            return filters; // an expression filter is a string
        }
        return mapValues(map, (key, v) -> key.equals("branches") || key.equals("tags") ? patterns(v) : v);
    }

    /** {@code {only, ignore}} with single patterns as one-element lists. */
    private static @Nullable Object patterns(@Nullable Object patterns) {
        return patterns instanceof Map<?, ?> m
                ? mapValues(m, (k, p) -> (k.equals("only") || k.equals("ignore")) && p instanceof String s
                        ? List.of(s) : p)
                : patterns;
    }

    private static @Nullable Object steps(@Nullable Object steps) {
        return steps instanceof List<?> list ? eachItem(list, Canonical::step) : steps;
    }

    private static @Nullable Object step(@Nullable Object step) {
        if (step instanceof String name) {
            return name.strip().startsWith("<<") ? name : Map.of(name, Map.of());
        }
        if (!(step instanceof Map<?, ?> map) || map.size() != 1) {
            return step;
        }
        Map.Entry<?, ?> only = map.entrySet().iterator().next();
        String name = String.valueOf(only.getKey());
        Object body = only.getValue();
        if (body == null) {
            return Map.of(name, Map.of());
        }
        if ((name.equals("run") || name.equals("deploy")) && body instanceof String command) {
            return Map.of(name, Map.of("command", command));
        }
        if (!(body instanceof Map<?, ?> fields)) {
            return step;
        }
        return Map.of(name, mapValues(fields, (key, v) -> switch (name + "." + key) {
            case "when.steps", "unless.steps" -> steps(v);
            case "run.environment", "deploy.environment" -> environment(v);
            case "save_cache.paths", "persist_to_workspace.paths", "add_ssh_keys.fingerprints",
                    "restore_cache.keys" -> v instanceof String || v instanceof Number ? List.of(v) : v;
            // A custom or orb command's steps-typed argument (CircleCI's convention names them so).
            default -> !ConfigChecks.BUILT_IN_STEPS.contains(name) && STEP_LISTS.contains(key) && v instanceof List
                    ? steps(v) : v;
        }));
    }

    /** A list of one-key maps becomes one map; anything else stays as it is. */
    private static @Nullable Object environment(@Nullable Object environment) {
        if (!(environment instanceof List<?> list) || list.isEmpty()
                || !list.stream().allMatch(i -> i instanceof Map<?, ?> m && m.size() == 1)) {
            return environment;
        }
        Map<Object, @Nullable Object> merged = new LinkedHashMap<>();
        for (Object item : list) {
            ((Map<?, ?>) item).forEach(merged::put);
        }
        return merged.size() == list.size() ? Collections.unmodifiableMap(merged) : environment;
    }

    private interface EntryMapper {
        @Nullable Object map(String key, @Nullable Object value);
    }

    private static Map<Object, @Nullable Object> mapValues(Map<?, ?> map, EntryMapper mapper) {
        Map<Object, @Nullable Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, mapper.map(String.valueOf(k), v)));
        return Collections.unmodifiableMap(out);
    }

    private static @Nullable Object eachValue(@Nullable Object value, UnaryOperator<@Nullable Object> mapper) {
        if (!(value instanceof Map<?, ?> map)) {
            return value;
        }
        Map<Object, @Nullable Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, mapper.apply(v)));
        return Collections.unmodifiableMap(out);
    }

    private static List<@Nullable Object> eachItem(List<?> list, UnaryOperator<@Nullable Object> mapper) {
        List<@Nullable Object> out = new ArrayList<>(list.size());
        list.forEach(i -> out.add(mapper.apply(i)));
        return Collections.unmodifiableList(out);
    }
}
