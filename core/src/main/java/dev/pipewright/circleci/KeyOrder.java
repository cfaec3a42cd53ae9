package dev.pipewright.circleci;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a map sits in a CircleCI config, and so the order its keys are written in: CircleCI's
 * documented keys first, in the documented order, then every other key in input order.
 *
 * <p>Places form a trie over config paths with wildcards for names (jobs, commands, workflows,
 * step names): {@link #child} follows a map key, {@link #item} a list index. Each hop is one
 * string switch, so the writer tracks the place as it descends instead of matching whole paths.
 * Under a key the trie does not know, every map keeps its input order ({@link #OTHER}).
 */
enum KeyOrder {
    OTHER,
    ROOT("version", "setup", "parameters", "orbs", "executors", "commands", "jobs", "workflows"),
    PARAMETERS,
    PARAMETER("type", "description", "default", "enum"),
    ORBS,
    INLINE_ORB("description", "display", "orbs", "commands", "executors", "jobs", "examples"),
    EXECUTORS,
    COMMANDS,
    COMMAND("description", "parameters", "steps"),
    JOBS,
    /** A job or an executor: executors take a subset of a job's keys, in the same order. */
    JOB("type", "description", "parameters", "executor", "docker", "machine", "macos",
            "resource_class", "parallelism", "shell", "working_directory", "environment",
            "circleci_ip_ranges", "retention", "steps"),
    DOCKER,
    DOCKER_IMAGE("image", "name", "entrypoint", "command", "user", "environment", "auth",
            "aws_auth"),
    MACHINE("image", "docker_layer_caching", "resource_class", "shell", "enabled"),
    STEPS,
    /** A one-key map {@code {stepName: body}}; the body's order depends on the step name. */
    STEP,
    RUN("name", "command", "shell", "environment", "working_directory", "background",
            "no_output_timeout", "when", "max_auto_reruns", "auto_rerun_delay"),
    CHECKOUT("path", "method", "depth"),
    SAVE_CACHE("name", "key", "paths", "when"),
    RESTORE_CACHE("name", "key", "keys"),
    STORE_ARTIFACTS("name", "path", "destination"),
    STORE_TEST_RESULTS("name", "path"),
    PERSIST_TO_WORKSPACE("name", "root", "paths"),
    ATTACH_WORKSPACE("name", "at"),
    ADD_SSH_KEYS("name", "fingerprints"),
    SETUP_REMOTE_DOCKER("version", "docker_layer_caching"),
    CONDITIONAL_STEP("condition", "steps"),
    /** A command from the config or an orb: arguments in input order; steps arguments hold steps. */
    CUSTOM_STEP,
    WORKFLOWS("version"),
    WORKFLOW("when", "unless", "triggers", "max_auto_reruns", "jobs"),
    TRIGGERS,
    TRIGGER,
    SCHEDULE("cron", "filters"),
    WORKFLOW_JOBS,
    /** A one-key map {@code {jobName: body}} in a workflow's job list. */
    WORKFLOW_JOB_ENTRY,
    WORKFLOW_JOB("name", "type", "context", "requires", "filters", "matrix", "serial-group",
            "override-with", "pre-steps", "post-steps"),
    FILTERS("branches", "tags"),
    REF_FILTER("only", "ignore"),
    MATRIX("parameters", "exclude", "alias");

    private final List<String> known;
    private final Map<String, Integer> ranks;

    KeyOrder(String... known) {
        this.known = List.of(known);
        Map<String, Integer> byKey = new HashMap<>();
        for (int i = 0; i < known.length; i++) {
            byKey.put(known[i], i);
        }
        this.ranks = Map.copyOf(byKey);
    }

    /** The place of the map at {@code path}: keys (Strings) and list indices (Integers) from the root. */
    static KeyOrder at(List<?> path) {
        KeyOrder place = ROOT;
        for (Object segment : path) {
            place = segment instanceof String key ? place.child(key) : place.item();
        }
        return place;
    }

    /** The documented keys of a map here, in the order they are written. */
    List<String> known() {
        return known;
    }

    /** The position of {@code key} in {@link #known()}, or -1 for a key written in input order. */
    int rank(String key) {
        Integer rank = ranks.get(key);
        return rank == null ? -1 : rank;
    }

    /** The place of the value under {@code key} in a map here. */
    KeyOrder child(String key) {
        return switch (this) {
            case ROOT -> switch (key) {
                case "parameters" -> PARAMETERS;
                case "orbs" -> ORBS;
                case "executors" -> EXECUTORS;
                case "commands" -> COMMANDS;
                case "jobs" -> JOBS;
                case "workflows" -> WORKFLOWS;
                default -> OTHER;
            };
            case PARAMETERS -> PARAMETER;
            case ORBS -> INLINE_ORB;
            case INLINE_ORB -> switch (key) {
                case "orbs" -> ORBS;
                case "commands" -> COMMANDS;
                case "executors" -> EXECUTORS;
                case "jobs" -> JOBS;
                default -> OTHER;
            };
            case EXECUTORS, JOBS -> JOB;
            case COMMANDS -> COMMAND;
            case COMMAND -> switch (key) {
                case "parameters" -> PARAMETERS;
                case "steps" -> STEPS;
                default -> OTHER;
            };
            case JOB -> switch (key) {
                case "parameters" -> PARAMETERS;
                case "docker" -> DOCKER;
                case "machine" -> MACHINE;
                case "steps" -> STEPS;
                default -> OTHER;
            };
            case STEP -> step(key);
            case CONDITIONAL_STEP -> "steps".equals(key) ? STEPS : OTHER;
            case CUSTOM_STEP -> switch (key) {
                case "steps", "pre-steps", "post-steps" -> STEPS;
                default -> OTHER;
            };
            case WORKFLOWS -> "version".equals(key) ? OTHER : WORKFLOW;
            case WORKFLOW -> switch (key) {
                case "triggers" -> TRIGGERS;
                case "jobs" -> WORKFLOW_JOBS;
                default -> OTHER;
            };
            case TRIGGER -> "schedule".equals(key) ? SCHEDULE : OTHER;
            case SCHEDULE -> "filters".equals(key) ? FILTERS : OTHER;
            case WORKFLOW_JOB_ENTRY -> WORKFLOW_JOB;
            case WORKFLOW_JOB -> switch (key) {
                case "filters" -> FILTERS;
                case "matrix" -> MATRIX;
                case "pre-steps", "post-steps" -> STEPS;
                default -> OTHER;
            };
            case FILTERS -> REF_FILTER;
            default -> OTHER;
        };
    }

    /** The place of each item of a list here. */
    KeyOrder item() {
        return switch (this) {
            case DOCKER -> DOCKER_IMAGE;
            case STEPS -> STEP;
            case TRIGGERS -> TRIGGER;
            case WORKFLOW_JOBS -> WORKFLOW_JOB_ENTRY;
            default -> OTHER;
        };
    }

    private static KeyOrder step(String name) {
        return switch (name) {
            case "run", "deploy" -> RUN;
            case "checkout" -> CHECKOUT;
            case "save_cache" -> SAVE_CACHE;
            case "restore_cache" -> RESTORE_CACHE;
            case "store_artifacts" -> STORE_ARTIFACTS;
            case "store_test_results" -> STORE_TEST_RESULTS;
            case "persist_to_workspace" -> PERSIST_TO_WORKSPACE;
            case "attach_workspace" -> ATTACH_WORKSPACE;
            case "add_ssh_keys" -> ADD_SSH_KEYS;
            case "setup_remote_docker" -> SETUP_REMOTE_DOCKER;
            case "when", "unless" -> CONDITIONAL_STEP;
            default -> CUSTOM_STEP;
        };
    }
}
