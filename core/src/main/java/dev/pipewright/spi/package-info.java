/**
 * The small contracts through which other modules and users plug into the local executor, and
 * the values they exchange with it.
 *
 * <ul>
 *   <li>{@link dev.pipewright.spi.StepHandler}: runs the steps of one type ({@code shell} and
 *       {@code java} are built in; the {@code git} and {@code aws} modules add their own).
 *   <li>{@link dev.pipewright.spi.CredentialsProvider}: turns a stage's role into credentials.
 *   <li>{@link dev.pipewright.spi.Approver}: decides manual approvals.
 *   <li>{@link dev.pipewright.spi.RepositoryFacts}: reads branch, tag, commit and changed paths.
 *   <li>{@link dev.pipewright.spi.RunListener}: observes a run (reports, progress views).
 *   <li>{@link dev.pipewright.spi.Plugin}: a module's bundle of the above, registered explicitly
 *       or found by {@link java.util.ServiceLoader}.
 * </ul>
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.spi;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
