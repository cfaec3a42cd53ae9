package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code run} step: a shell command.
 *
 * <p>Its data is {@code {run: {...}}}; build one with {@link CircleCiStep#run(String)} or the builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.run("Test", "./mvnw -B verify")
 * }</pre>
 *
 * @since 0.1
 */
public final class RunStep implements CircleCiStep {
    private final @Nullable String command;
    private final @Nullable String name;
    private final @Nullable String shell;
    private final @Nullable EnvironmentVariables environment;
    private final @Nullable Interpolable<Boolean> background;
    private final @Nullable String workingDirectory;
    private final @Nullable String noOutputTimeout;
    private final @Nullable String when;
    private final @Nullable Interpolable<Integer> maxAutoReruns;
    private final @Nullable String autoRerunDelay;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private RunStep(Builder b) {
        this.command = b.command;
        this.name = b.name;
        this.shell = b.shell;
        this.environment = b.environment;
        this.background = b.background;
        this.workingDirectory = b.workingDirectory;
        this.noOutputTimeout = b.noOutputTimeout;
        this.when = b.when;
        this.maxAutoReruns = b.maxAutoReruns;
        this.autoRerunDelay = b.autoRerunDelay;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("command", command)
                .put("name", name)
                .put("shell", shell)
                .put("environment", environment == null ? null : FieldWriter.data(environment))
                .put("background", background)
                .put("working_directory", workingDirectory)
                .put("no_output_timeout", noOutputTimeout)
                .put("when", when)
                .put("max_auto_reruns", maxAutoReruns)
                .put("auto_rerun_delay", autoRerunDelay)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.command = command;
        b.name = name;
        b.shell = shell;
        b.environment = environment;
        b.background = background;
        b.workingDirectory = workingDirectory;
        b.noOutputTimeout = noOutputTimeout;
        b.when = when;
        b.maxAutoReruns = maxAutoReruns;
        b.autoRerunDelay = autoRerunDelay;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code command}: the command, run by the shell. */
    public Optional<String> command() {
        return Optional.ofNullable(command);
    }

    /** {@code name}: the step's title in the CircleCI UI; the command when absent. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@code shell}: the shell that runs the command. */
    public Optional<String> shell() {
        return Optional.ofNullable(shell);
    }

    /**
     * {@code environment}: environment variables: a mapping, a list of {@code NAME=value} strings
     * or one such string, as written.
     */
    public Optional<EnvironmentVariables> environment() {
        return Optional.ofNullable(environment);
    }

    /** {@code background}: whether the command runs in the background. */
    public Optional<Interpolable<Boolean>> background() {
        return Optional.ofNullable(background);
    }

    /** {@code working_directory}: the directory the command runs in. */
    public Optional<String> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /** {@code no_output_timeout}: how long the command may print nothing, such as {@code 20m}. */
    public Optional<String> noOutputTimeout() {
        return Optional.ofNullable(noOutputTimeout);
    }

    /** {@code when}: when the step runs: {@code on_success} (the default), {@code on_fail} or {@code always}. */
    public Optional<String> when() {
        return Optional.ofNullable(when);
    }

    /** {@code max_auto_reruns}: how often a failed step is rerun, 1 to 5. */
    public Optional<Interpolable<Integer>> maxAutoReruns() {
        return Optional.ofNullable(maxAutoReruns);
    }

    /** {@code auto_rerun_delay}: the wait before a rerun, such as {@code 30s}. */
    public Optional<String> autoRerunDelay() {
        return Optional.ofNullable(autoRerunDelay);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {run: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("run", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static RunStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a run step");
        Builder b = builder();
        r.read("command", Shape.STRING, b::command);
        r.read("name", Shape.STRING, b::name);
        r.read("shell", Shape.STRING, b::shell);
        r.read("environment", Shape.ENVIRONMENT, b::environment);
        r.read("background", Shape.BOOLEAN, b::background);
        r.read("working_directory", Shape.STRING, b::workingDirectory);
        r.read("no_output_timeout", Shape.STRING, b::noOutputTimeout);
        r.read("when", Shape.STRING, b::when);
        r.read("max_auto_reruns", Shape.INTEGER, b::maxAutoReruns);
        r.read("auto_rerun_delay", Shape.STRING, b::autoRerunDelay);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof RunStep o
                && Objects.equals(command, o.command)
                && Objects.equals(name, o.name)
                && Objects.equals(shell, o.shell)
                && Objects.equals(environment, o.environment)
                && Objects.equals(background, o.background)
                && Objects.equals(workingDirectory, o.workingDirectory)
                && Objects.equals(noOutputTimeout, o.noOutputTimeout)
                && Objects.equals(when, o.when)
                && Objects.equals(maxAutoReruns, o.maxAutoReruns)
                && Objects.equals(autoRerunDelay, o.autoRerunDelay)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash( command, name, shell, environment, background, workingDirectory,
                noOutputTimeout, when, maxAutoReruns, autoRerunDelay, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "RunStep" + toData();
    }

    /** Builds {@link RunStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String command;
        private @Nullable String name;
        private @Nullable String shell;
        private @Nullable EnvironmentVariables environment;
        private @Nullable Interpolable<Boolean> background;
        private @Nullable String workingDirectory;
        private @Nullable String noOutputTimeout;
        private @Nullable String when;
        private @Nullable Interpolable<Integer> maxAutoReruns;
        private @Nullable String autoRerunDelay;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code command}: the command, run by the shell. */
        @CanIgnoreReturnValue
        public Builder command(String command) {
            this.command = checkNotNull(command, "command");
            return this;
        }

        /** Sets {@code name}: the step's title in the CircleCI UI; the command when absent. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /** Sets {@code shell}: the shell that runs the command. */
        @CanIgnoreReturnValue
        public Builder shell(String shell) {
            this.shell = checkNotNull(shell, "shell");
            return this;
        }

        /** Sets {@code environment}, in any of its shapes. */
        @CanIgnoreReturnValue
        public Builder environment(EnvironmentVariables environment) {
            this.environment = checkNotNull(environment, "environment");
            return this;
        }

        /**
         * Adds one variable to a mapping {@code environment}, starting one when absent.
         *
         * @param value a string, number, boolean or null
         * @throws IllegalStateException when {@code environment} was set in another shape
         */
        @CanIgnoreReturnValue
        public Builder putEnvironment(String name, @Nullable Object value) {
            this.environment = FieldWriter.put(environment, name, value);
            return this;
        }

        /** Sets {@code background} to {@code true}. */
        @CanIgnoreReturnValue
        public Builder background() {
            this.background = Interpolable.of(true);
            return this;
        }

        /** Sets {@code background} as written: {@code true}, {@code false} or an interpolation. */
        @CanIgnoreReturnValue
        public Builder background(Interpolable<Boolean> background) {
            this.background = checkNotNull(background, "background");
            return this;
        }

        /** Sets {@code working_directory}: the directory the command runs in. */
        @CanIgnoreReturnValue
        public Builder workingDirectory(String workingDirectory) {
            this.workingDirectory = checkNotNull(workingDirectory, "workingDirectory");
            return this;
        }

        /** Sets {@code no_output_timeout}: how long the command may print nothing, such as {@code 20m}. */
        @CanIgnoreReturnValue
        public Builder noOutputTimeout(String noOutputTimeout) {
            this.noOutputTimeout = checkNotNull(noOutputTimeout, "noOutputTimeout");
            return this;
        }

        /**
         * Sets {@code when}: when the step runs: {@code on_success} (the default), {@code on_fail}
         * or {@code always}.
         */
        @CanIgnoreReturnValue
        public Builder when(String when) {
            this.when = checkNotNull(when, "when");
            return this;
        }

        /** Sets {@code max_auto_reruns}: how often a failed step is rerun, 1 to 5. */
        @CanIgnoreReturnValue
        public Builder maxAutoReruns(int maxAutoReruns) {
            this.maxAutoReruns = Interpolable.of(maxAutoReruns);
            return this;
        }

        /** Sets {@code max_auto_reruns} as written: an integer or an interpolation. */
        @CanIgnoreReturnValue
        public Builder maxAutoReruns(Interpolable<Integer> maxAutoReruns) {
            this.maxAutoReruns = checkNotNull(maxAutoReruns, "maxAutoReruns");
            return this;
        }

        /** Sets {@code auto_rerun_delay}: the wait before a rerun, such as {@code 30s}. */
        @CanIgnoreReturnValue
        public Builder autoRerunDelay(String autoRerunDelay) {
            this.autoRerunDelay = checkNotNull(autoRerunDelay, "autoRerunDelay");
            return this;
        }

        /** Replaces the kept keys; see {@link RunStep#extra()}. Values are copied as plain data. */
        @CanIgnoreReturnValue
        public Builder extra(Map<String, ?> extra) {
            this.extra.clear();
            this.extra.putAll(PlainData.copyMap(extra));
            return this;
        }

        /** Adds a kept key, written after the typed ones; the value is copied as plain data. */
        @CanIgnoreReturnValue
        public Builder putExtra(String key, @Nullable Object value) {
            this.extra.put(checkNotNull(key, "key"), PlainData.copy(value));
            return this;
        }

        /**
         * The value.
         *
         * @throws IllegalArgumentException when a kept key is also set as a typed field
         */
        public RunStep build() {
            return new RunStep(this);
        }
    }
}
