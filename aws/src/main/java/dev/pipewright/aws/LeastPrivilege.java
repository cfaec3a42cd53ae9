package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Check;
import dev.pipewright.Gate;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Problem;
import dev.pipewright.Role;
import dev.pipewright.Stage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Least privilege for a pipeline's roles: what each stage needs, derived from what its steps
 * declare ({@link dev.pipewright.Step#permissions()}, such as a {@link LambdaDeploy}'s Lambda
 * actions on its function) and from the aws module's check gates ({@link CloudWatchAlarms},
 * {@link SyntheticsCanary}); and where a role's grants (its session policy, see {@link AwsRole})
 * differ from what the stages acting as it use.
 *
 * <pre>{@code
 * @Test
 * void everyRoleGrantsOnlyWhatItsStagesUse() {
 *     assertThat(LeastPrivilege.problems(HousingApi.pipeline())).isEmpty();
 * }
 * }</pre>
 *
 * <p>Comparing permissions: a grant and a need match when either's pattern covers the other
 * ({@link Permission#covers}), so a step that names its function only (any region and account,
 * {@code *}) is served by a grant on that function in one region. Roles without grants are opaque
 * and not judged. Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class LeastPrivilege {
    private LeastPrivilege() { }

    /**
     * What {@code stage} needs its roles to allow: its steps' permissions, then its check gates',
     * without repeats, in that order.
     */
    public static List<Permission> needed(Stage stage) {
        checkNotNull(stage, "stage");
        Set<Permission> all = new LinkedHashSet<>(stage.permissions());
        for (Gate gate : stage.gates()) {
            gate.check().ifPresent(c -> all.addAll(permissions(c)));
        }
        return List.copyOf(all);
    }

    /**
     * What {@code role} needs to grant in {@code pipeline}: what the stages acting as it need, without
     * repeats. Grant exactly these and {@link #problems} has nothing to say about the role.
     */
    public static List<Permission> needed(Pipeline pipeline, Role role) {
        checkNotNull(pipeline, "pipeline");
        checkNotNull(role, "role");
        Set<Permission> all = new LinkedHashSet<>();
        stagesActingAs(pipeline, role).forEach(s -> all.addAll(needed(s)));
        return List.copyOf(all);
    }

    /** The permissions a check of the aws module needs; none for other checks, which declare none. */
    private static List<Permission> permissions(Check check) {
        if (check instanceof CloudWatchAlarms.AlarmsOk alarms) {
            return alarms.alarms().permissions();
        }
        if (check instanceof SyntheticsCanary.RunsPassed runs) {
            return runs.canary().permissions();
        }
        return List.of();
    }

    /**
     * Where {@code pipeline}'s roles and its stages' needs differ, one problem each, in the
     * pipeline's order: a grant none of the role's stages uses, a grant broader than what they
     * use (a wildcard where they need one action or one resource), a role whose stages declare no
     * need at all, and a need none of a stage's roles grants (AWS would refuse it). Empty when
     * every role grants exactly what its stages use.
     */
    public static List<Problem> problems(Pipeline pipeline) {
        checkNotNull(pipeline, "pipeline");
        List<Problem> problems = new ArrayList<>();
        for (Role role : pipeline.roles()) {
            if (role.grants().isEmpty()) {
                continue;
            }
            List<Stage> stages = stagesActingAs(pipeline, role);
            if (stages.isEmpty()) {
                continue; // the pipeline's own validation reports roles no stage uses
            }
            String path = "role '" + role.name() + "'";
            String names = stages.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
            List<Permission> needed = needed(pipeline, role);
            if (needed.isEmpty()) {
                problems.add(new Problem(path, "it grants " + role.grants().size() + " permission"
                        + (role.grants().size() == 1 ? "" : "s") + ", but its stages (" + names + ") declare no"
                        + " need for any.", "Declare what their steps need (the aws module's steps do;"
                        + " ShellStep.builder(...).permissions(...)), or stop acting as the role there."));
                continue;
            }
            for (Permission grant : role.grants()) {
                List<Permission> served = needed.stream().filter(n -> matches(grant, n)).toList();
                if (served.isEmpty()) {
                    problems.add(new Problem(path + " > grant " + grant, "none of its stages (" + names
                            + ") needs it.", "Remove the grant."));
                } else if (needed.stream().noneMatch(n -> n.covers(grant))) {
                    problems.add(new Problem(path + " > grant " + grant, "it is broader than what its stages ("
                            + names + ") use: " + list(served) + ".", "Grant exactly those."));
                }
            }
        }
        for (Stage stage : pipeline.stages()) {
            List<Role> roles = stage.roles();
            if (roles.isEmpty() || roles.stream().anyMatch(r -> r.grants().isEmpty())) {
                continue; // nothing to hold the needs against, or an opaque role that may grant anything
            }
            for (Permission need : needed(stage)) {
                boolean granted = roles.stream().flatMap(r -> r.grants().stream()).anyMatch(g -> matches(g, need));
                if (!granted) {
                    problems.add(new Problem("stage '" + stage.name() + "'", "it needs " + need + ", which none of its"
                            + " roles (" + roles.stream().map(r -> "'" + r.name() + "'").collect(Collectors.joining(
                            ", ")) + ") grants: AWS would refuse it.", "Grant it to role '" + roles.get(0).name()
                            + "'."));
                }
            }
        }
        return List.copyOf(problems);
    }

    /**
     * Checks that every role of {@code pipeline} grants exactly what its stages use.
     *
     * @throws InvalidPipelineException listing every {@linkplain #problems problem}, if any
     */
    public static void verify(Pipeline pipeline) {
        List<Problem> problems = problems(pipeline);
        if (!problems.isEmpty()) {
            throw new InvalidPipelineException("Pipeline '" + pipeline.name() + "' (least privilege)", problems);
        }
    }

    /** Whether {@code grant} and {@code need} overlap: either's pattern covers the other. */
    private static boolean matches(Permission grant, Permission need) {
        return grant.covers(need) || need.covers(grant);
    }

    private static List<Stage> stagesActingAs(Pipeline pipeline, Role role) {
        return pipeline.stages().stream().filter(s -> s.roles().stream().anyMatch(r -> r.name().equals(role.name())))
                .toList();
    }

    private static String list(List<Permission> permissions) {
        return permissions.stream().map(Permission::toString).collect(Collectors.joining(", "));
    }
}
