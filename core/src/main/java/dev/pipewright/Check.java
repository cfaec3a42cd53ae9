package dev.pipewright;

/**
 * A condition evaluated before a stage starts, held by a {@linkplain Gate#check(String, Check)
 * check gate}. The {@code git} and {@code aws} modules supply checks (clean tree, alarms OK...);
 * users write their own as lambdas.
 *
 * <pre>{@code
 * Gate.check("api-definition-present", ctx ->
 *     Files.exists(ctx.workspace().resolve("openapi.yaml"))
 *         ? CheckResult.pass("openapi.yaml present")
 *         : CheckResult.fail("openapi.yaml missing"))
 * }</pre>
 *
 * <p>An exception thrown by {@link #evaluate} fails the gate (fail closed).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Check {

    /**
     * Decides whether the stage may start.
     *
     * @param context the stage about to run
     * @return pass or fail, with the reason shown to the user
     * @throws Exception on any error, which fails the gate
     */
    CheckResult evaluate(RunContext context) throws Exception;
}
