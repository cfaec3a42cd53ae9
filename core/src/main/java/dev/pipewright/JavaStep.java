package dev.pipewright;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Java code run as a step (type {@code java}). Locally the runner calls the action on its own
 * thread; in CircleCI the step runs the pipeline's jar, which calls the same action.
 *
 * <pre>{@code
 * JavaStep.of("smoke-test", ctx -> {
 *     ctx.log("checking " + ctx.environment().get("API_URL"));
 * })
 * }</pre>
 *
 * <p>Two Java steps are equal when their names, permissions and action objects are: a lambda is
 * equal only to itself. The step itself is immutable and thread-safe; whether its action is, is
 * up to the action.
 *
 * @since 0.1
 */
public final class JavaStep implements Step {
    /** The type id of Java steps. */
    public static final String TYPE = "java";

    /**
     * The code a Java step runs. An exception fails the step.
     *
     * <pre>{@code
     * JavaStep.Action notify = ctx -> ctx.log("deployed " + ctx.commit().orElse("an unknown commit"));
     * }</pre>
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Action {
        /**
         * Does the step's work.
         *
         * @param context the running stage
         * @throws Exception to fail the step
         */
        void run(RunContext context) throws Exception;
    }

    private final String name;
    private final Action action;
    private final List<Permission> permissions;

    private JavaStep(String name, Action action, List<Permission> permissions) {
        this.name = name;
        this.action = action;
        this.permissions = ImmutableList.copyOf(permissions);
    }

    /**
     * A Java step called {@code name} running {@code action}.
     *
     * @throws InvalidPipelineException if the name is invalid or the action null
     */
    public static JavaStep of(String name, Action action) {
        return of(name, action, List.of());
    }

    /**
     * A Java step that declares what it needs its stage's roles to allow.
     *
     * @throws InvalidPipelineException if the name is invalid, or the action, the permissions or a
     *     permission null
     */
    public static JavaStep of(String name, Action action, List<Permission> permissions) {
        Problems problems = new Problems();
        problems.checkName(name, "name");
        problems.nonNull(action, "action");
        if (problems.nonNull(permissions, "permissions")) {
            problems.nonNullElements(permissions.toArray(), "permissions");
        }
        problems.throwIfAny("Java step " + Problems.quote(name));
        return new JavaStep(name, action, permissions);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String name() {
        return name;
    }

    /** The code to run. */
    public Action action() {
        return action;
    }

    /** The step's name is its only stable parameter: code has no portable description. */
    @Override
    public Map<String, String> parameters() {
        return Map.of("name", name);
    }

    @Override
    public List<Permission> permissions() {
        return permissions;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof JavaStep j && name.equals(j.name) && action.equals(j.action)
                && permissions.equals(j.permissions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, action, permissions);
    }

    @Override
    public String toString() {
        return "java '" + name + "'";
    }
}
