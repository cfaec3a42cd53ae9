package dev.pipewright.spi;

import dev.pipewright.Step;

/**
 * Runs the steps of one {@link Step#type() type} on this machine. Built in: {@code shell} and
 * {@code java}; other modules and users add theirs with a {@link Plugin} or
 * {@code LocalRunner.builder().addStepHandler(...)}.
 *
 * <pre>{@code
 * final class MigrateHandler implements StepHandler {
 *     public String type() { return "acme.migrate"; }
 *     public void run(Step step, StepContext context) {
 *         context.shell("flyway migrate -url=" + step.parameters().get("url"));
 *     }
 * }
 * }</pre>
 *
 * <p>Handlers are called on the stage's thread, possibly for several stages at once, so they must
 * be thread-safe. A handler should return soon after {@link StepContext#isCancelled()} turns
 * true; the thread is also interrupted then.
 *
 * @since 0.1
 */
public interface StepHandler {
    /** The step type this handler runs, such as {@code aws.lambda.deploy}. */
    String type();

    /**
     * Runs {@code step}. Returning normally means the step succeeded.
     *
     * @param step a step of this handler's {@link #type()}
     * @param context the running stage
     * @throws StepFailedException to fail the step with a message and an exit code
     * @throws Exception on any other failure, which fails the step with the exception's message
     */
    void run(Step step, StepContext context) throws Exception;
}
