package dev.pipewright.circleci;

import org.jspecify.annotations.Nullable;

/**
 * A step the model does not recognise, kept as written: not a one-key mapping, or a built-in
 * step, command or {@code steps} key whose value has the wrong shape ({@code - run: 42}). Reading
 * one is a warning. Data that is a recognised step reads back as that step.
 *
 * @param data the step as plain data
 * @since 0.1
 */
public record UnknownStep(@Nullable Object data) implements CircleCiStep {

    /** Copies the data as plain data. */
    public UnknownStep {
        data = PlainData.copy(data);
    }

    /** A step written as {@code data}. */
    public static UnknownStep of(@Nullable Object data) {
        return new UnknownStep(data);
    }
}
