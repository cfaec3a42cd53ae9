package dev.pipewright.circleci;

import dev.pipewright.Environment;
import dev.pipewright.Filter;
import dev.pipewright.PathPattern;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.Stage;
import dev.pipewright.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CircleCI form of stage path filters ({@link Stage#whenChanged()}): the setup configuration
 * with the {@code path-filtering} orb, the pipeline parameters of the continuation, and the step
 * that halts a job whose filters selected nothing. {@link CircleCiCompiler} describes the result.
 */
final class PathFilters {
    private static final String PREFIX = "changed-";

    private PathFilters() {
    }

    /** The pipeline parameter set when {@code stage}'s patterns select a changed path. */
    static String parameter(Stage stage) {
        return PREFIX + stage.name();
    }

    /**
     * For each stage that is filtered or needs one that is, directly or not: the parameters of
     * those filtered stages, in pipeline order. Empty when no stage has a path filter.
     */
    static Map<String, List<String>> conditions(Pipeline pipeline) {
        Map<String, Set<String>> memo = new HashMap<>();
        Map<String, List<String>> conditions = new LinkedHashMap<>();
        for (Stage stage : pipeline.stages()) {
            Set<String> filtered = filteredUpstream(pipeline, stage, memo);
            if (!filtered.isEmpty()) {
                List<String> parameters = new ArrayList<>();
                for (Stage s : pipeline.stages()) {
                    if (filtered.contains(s.name())) {
                        parameters.add(parameter(s));
                    }
                }
                conditions.put(stage.name(), List.copyOf(parameters));
            }
        }
        return conditions;
    }

    /** The names of the filtered stages among {@code stage} and everything it needs. */
    private static Set<String> filteredUpstream(Pipeline pipeline, Stage stage, Map<String, Set<String>> memo) {
        Set<String> known = memo.get(stage.name());
        if (known != null) {
            return known;
        }
        Set<String> filtered = new LinkedHashSet<>();
        if (!stage.whenChanged().isEmpty()) {
            filtered.add(stage.name());
        }
        for (String need : stage.needs()) {
            // The pipeline checked that needs name stages and form no cycle.
            pipeline.stage(need).ifPresent(s -> filtered.addAll(filteredUpstream(pipeline, s, memo)));
        }
        memo.put(stage.name(), filtered);
        return filtered;
    }

    /** The continuation's pipeline parameters: one boolean per filtered stage, false unless the setup sets it. */
    static Map<String, Object> parameters(Pipeline pipeline) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (Stage stage : pipeline.stages()) {
            if (!stage.whenChanged().isEmpty()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("type", "boolean");
                p.put("default", false);
                p.put("description", "True when " + stage.whenChanged() + " select a changed path; set by"
                        + " the setup workflow.");
                parameters.put(parameter(stage), p);
            }
        }
        return parameters;
    }

    /** The first step of a job that runs only when all of {@code parameters} are true; empty for none. */
    static Optional<Map<String, Object>> haltUnlessChanged(List<String> parameters) {
        if (parameters.isEmpty()) {
            return Optional.empty();
        }
        List<Object> values = parameters.stream().map(p -> (Object) ("<< pipeline.parameters." + p + " >>")).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("condition", values.size() == 1 ? values.get(0) : Map.of("and", values));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("name", "Halt: no change this stage watches");
        run.put("command", "circleci-agent step halt");
        body.put("steps", List.of(Map.of("run", run)));
        return Optional.of(Map.of("unless", body));
    }

    /** The setup configuration: the path-filtering orb's filter job, comparing with {@code defaultBranch}. */
    static CircleCiConfig setup(Pipeline pipeline, String defaultBranch) {
        StringBuilder mapping = new StringBuilder();
        for (Stage stage : pipeline.stages()) {
            if (!stage.whenChanged().isEmpty()) {
                mapping.append(PathPattern.regex(stage.whenChanged())).append(' ').append(parameter(stage))
                        .append(" true\n");
            }
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("base-revision", defaultBranch);
        filter.put("config-path", CircleCiCompiler.CONTINUATION_FILE);
        filter.put("mapping", mapping.toString());
        // Workflows skip tag pushes unless a job accepts tags; the continuation's own filters decide.
        filter.put("filters", Map.of("tags", Map.of("only", "/.*/")));
        String orb = pipeline.circleci().orbs().getOrDefault(CircleCiCompiler.PATH_FILTERING,
                CircleCiCompiler.PATH_FILTERING_ORB);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 2.1);
        root.put("setup", true);
        root.put("orbs", Map.of(CircleCiCompiler.PATH_FILTERING, orb));
        root.put("workflows", Map.of("setup", Map.of("jobs", List.of(Map.of(CircleCiCompiler.PATH_FILTERING
                + "/filter", filter)))));
        return CircleCiConfig.of(root, "<setup of pipeline " + pipeline.name() + ">");
    }

    /**
     * {@code master} when a branch filter of the pipeline names {@code master} and none names
     * {@code main}; else {@value CircleCiCompiler#DEFAULT_BASE_BRANCH}, the orb's own default.
     */
    static String guessDefaultBranch(Pipeline pipeline) {
        List<Filter> filters = new ArrayList<>();
        pipeline.triggers().stream().map(Trigger::filter).forEach(filters::add);
        pipeline.environments().stream().map(Environment::filter).forEach(filters::add);
        pipeline.stages().forEach(s -> filters.addAll(s.filters()));
        Set<String> named = new LinkedHashSet<>();
        for (Filter f : filters) {
            f.onlyBranches().forEach(p -> named.add(p.text()));
            f.finiteNames(Ref.Kind.BRANCH).ifPresent(named::addAll);
        }
        return named.contains("master") && !named.contains("main") ? "master" : CircleCiCompiler.DEFAULT_BASE_BRANCH;
    }
}
