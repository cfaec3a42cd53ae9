package dev.pipewright;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link JavaStep} or a {@link Check} sees while it runs: which pipeline, stage and ref,
 * the stage's environment (its variables and the credentials of the roles it declares, nothing
 * more), its workspace, and a log that masks secrets. Supplied by the runner; implementations
 * must be safe to call from the step's thread.
 *
 * <pre>{@code
 * JavaStep.of("report", ctx -> {
 *     Path report = ctx.workspace().resolve("target/report.txt");
 *     ctx.log(ctx.stage() + " on " + ctx.ref() + ": " + Files.readString(report));
 * })
 * }</pre>
 *
 * @since 0.1
 */
public interface RunContext {

    /** The pipeline's name. */
    String pipeline();

    /** The running stage's name. */
    String stage();

    /** The branch or tag the run is for. */
    Ref ref();

    /** The commit the run is pinned to; empty when unknown. */
    Optional<String> commit();

    /**
     * The stage's environment variables: the environment's and the stage's variables, its secrets
     * and the credentials of its roles. Unmodifiable.
     */
    Map<String, String> environment();

    /** The folder the stage works in. */
    Path workspace();

    /** Writes a line to the stage's output, with every secret masked. */
    void log(String line);
}
