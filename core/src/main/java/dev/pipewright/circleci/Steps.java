package dev.pipewright.circleci;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads a step from canonical data into its type, and writes it back. */
final class Steps {
    /** CircleCiStep names that are not commands. */
    static final Set<String> RESERVED = Set.of("run", "deploy", "checkout", "setup_remote_docker", "save_cache",
            "restore_cache", "store_artifacts", "store_test_results", "persist_to_workspace", "attach_workspace",
            "add_ssh_keys", "when", "unless", "steps");

    private Steps() {
    }

    /** The step {@code value} is; an {@link UnknownStep}, with a warning, when it is none the model knows. */
    static CircleCiStep read(@Nullable Object value, String path, Warnings warnings) {
        if (value instanceof String s && s.strip().startsWith("<<") && PlainData.isInterpolation(s)) {
            return ParameterExpansionStep.of(s);
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            String name = (String) only.getKey();
            Object body = only.getValue();
            String at = Warnings.child(path, name);
            if (name.equals("steps") && body instanceof String s && PlainData.isInterpolation(s)) {
                return ParameterExpansionStep.keyed(s);
            }
            if (body instanceof Map<?, ?> fields && !name.equals("steps")) {
                return switch (name) {
                    case "run" -> RunStep.fromData(fields, at, warnings);
                    case "deploy" -> DeployStep.of(RunStep.fromData(fields, at, warnings));
                    case "checkout" -> CheckoutStep.fromData(fields, at, warnings);
                    case "setup_remote_docker" -> SetupRemoteDockerStep.fromData(fields, at, warnings);
                    case "save_cache" -> SaveCacheStep.fromData(fields, at, warnings);
                    case "restore_cache" -> RestoreCacheStep.fromData(fields, at, warnings);
                    case "store_artifacts" -> StoreArtifactsStep.fromData(fields, at, warnings);
                    case "store_test_results" -> StoreTestResultsStep.fromData(fields, at, warnings);
                    case "persist_to_workspace" -> PersistToWorkspaceStep.fromData(fields, at, warnings);
                    case "attach_workspace" -> AttachWorkspaceStep.fromData(fields, at, warnings);
                    case "add_ssh_keys" -> AddSshKeysStep.fromData(fields, at, warnings);
                    case "when", "unless" -> conditional(name, fields, at, warnings);
                    default -> CommandStep.of(name, PlainData.copyMap(fields));
                };
            }
        }
        warnings.add(path, "a step is a one-key mapping of a built-in step, command or 'steps' to its keys, or a"
                + " << parameters.x >> expansion; found " + PlainData.describe(value)
                + " of another shape; kept as written.");
        return UnknownStep.of(value);
    }

    private static ConditionalStep conditional(String name, Map<?, ?> fields, String path, Warnings warnings) {
        ConditionalStep step = ConditionalStep.fromData(fields, path, warnings);
        return name.equals("unless") ? step.toBuilder().unless().build() : step;
    }

    /** The step as data. */
    static @Nullable Object toData(CircleCiStep step) {
        if (step instanceof RunStep s) {
            return s.toData();
        } else if (step instanceof DeployStep s) {
            return s.toData();
        } else if (step instanceof CheckoutStep s) {
            return s.toData();
        } else if (step instanceof SetupRemoteDockerStep s) {
            return s.toData();
        } else if (step instanceof SaveCacheStep s) {
            return s.toData();
        } else if (step instanceof RestoreCacheStep s) {
            return s.toData();
        } else if (step instanceof StoreArtifactsStep s) {
            return s.toData();
        } else if (step instanceof StoreTestResultsStep s) {
            return s.toData();
        } else if (step instanceof PersistToWorkspaceStep s) {
            return s.toData();
        } else if (step instanceof AttachWorkspaceStep s) {
            return s.toData();
        } else if (step instanceof AddSshKeysStep s) {
            return s.toData();
        } else if (step instanceof ConditionalStep s) {
            return s.toData();
        } else if (step instanceof CommandStep s) {
            return s.toData();
        } else if (step instanceof ParameterExpansionStep s) {
            return s.toData();
        }
        return ((UnknownStep) step).data();
    }
}
