package dev.pipewright;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A shell command (type {@code shell}): run locally through the stage's shell, exported to
 * CircleCI as a {@code run} step.
 *
 * <pre>{@code
 * ShellStep.builder("./mvnw -B verify").name("build and test").timeout(Duration.ofMinutes(20)).build()
 * }</pre>
 *
 * <p>Shell steps are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ShellStep implements Step {
    /** The type id of shell steps. */
    public static final String TYPE = "shell";
    private static final int DEFAULT_NAME_LENGTH = 60;

    private final String name;
    private final String command;
    private final Map<String, String> environment;
    private final Optional<String> workingDirectory;
    private final Optional<String> shell;
    private final Optional<Duration> timeout;
    private final List<Permission> permissions;

    private ShellStep(Builder b) {
        this.command = b.command;
        this.name = b.name != null ? b.name : defaultName(b.command);
        this.environment = ImmutableMap.copyOf(b.environment);
        this.workingDirectory = Optional.ofNullable(b.workingDirectory);
        this.shell = Optional.ofNullable(b.shell);
        this.timeout = Optional.ofNullable(b.timeout);
        this.permissions = ImmutableList.copyOf(b.permissions);
    }

    /**
     * The command with defaults: named after its first line, the stage's shell and folder.
     *
     * @throws InvalidPipelineException if the command is null or blank
     */
    public static ShellStep of(String command) {
        return builder(command).build();
    }

    /** Starts a shell step running {@code command}; the command is checked by {@code build()}. */
    public static Builder builder(String command) {
        return new Builder(command);
    }

    /** A builder holding this step's values. */
    public Builder toBuilder() {
        Builder b = new Builder(command);
        b.name = name;
        b.environment.putAll(environment);
        b.workingDirectory = workingDirectory.orElse(null);
        b.shell = shell.orElse(null);
        b.timeout = timeout.orElse(null);
        b.permissions.addAll(permissions);
        return b;
    }

    private static String defaultName(String command) {
        String first = command.strip().lines().findFirst().orElse("").strip();
        return first.length() <= DEFAULT_NAME_LENGTH ? first : first.substring(0, DEFAULT_NAME_LENGTH - 3) + "...";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String name() {
        return name;
    }

    /** The command line or script, possibly several lines. */
    public String command() {
        return command;
    }

    /** Variables set for this command only, in the order declared. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The folder to run in, relative to the stage's workspace; empty for the workspace itself. */
    public Optional<String> workingDirectory() {
        return workingDirectory;
    }

    /** The shell, such as {@code /bin/bash -eo pipefail}; empty for the stage's default. */
    public Optional<String> shell() {
        return shell;
    }

    /** How long the command may run; empty for the stage's limit. */
    public Optional<Duration> timeout() {
        return timeout;
    }

    /**
     * The step's configuration: {@code command}, then {@code environment.KEY} for each variable,
     * then {@code working_directory}, {@code shell} and {@code timeout} when set. The name is not
     * part of it.
     */
    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("command", command);
        environment.forEach((k, v) -> p.put("environment." + k, v));
        workingDirectory.ifPresent(w -> p.put("working_directory", w));
        shell.ifPresent(s -> p.put("shell", s));
        timeout.ifPresent(t -> p.put("timeout", t.toString()));
        return ImmutableMap.copyOf(p);
    }

    @Override
    public List<Permission> permissions() {
        return permissions;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ShellStep s && name.equals(s.name) && command.equals(s.command)
                && environment.equals(s.environment) && workingDirectory.equals(s.workingDirectory)
                && shell.equals(s.shell) && timeout.equals(s.timeout) && permissions.equals(s.permissions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, command, environment, workingDirectory, shell, timeout, permissions);
    }

    @Override
    public String toString() {
        return "shell '" + name + "'";
    }

    /**
     * Builds a {@link ShellStep}. A null or invalid argument is recorded as a problem, not thrown:
     * {@link #build()}, or the stage that runs the builder's configuration, reports every problem
     * at once. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String command;
        private @Nullable String name;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private @Nullable String workingDirectory;
        private @Nullable String shell;
        private @Nullable Duration timeout;
        private final List<Permission> permissions = new ArrayList<>();
        private final Problems problems = new Problems();

        private Builder(String command) {
            this.command = command;
        }

        /** The name shown in logs; defaults to the command's first line, cut to 60 characters. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            if (problems.nonNull(name, "name")) {
                this.name = name;
            }
            return this;
        }

        /**
         * Sets a variable for this command. Names start with a letter or {@code _}, hold letters,
         * digits and {@code _}, and must not start with {@code CIRCLE_}.
         */
        @CanIgnoreReturnValue
        public Builder putEnvironment(String key, String value) {
            if (problems.nonNull(key, "environment") && problems.nonNull(value, "environment." + key)) {
                problems.checkVariableName(key, "environment");
                environment.put(key, value);
            }
            return this;
        }

        /** The folder to run in, relative to the stage's workspace. */
        @CanIgnoreReturnValue
        public Builder workingDirectory(String folder) {
            if (problems.nonNull(folder, "working_directory")) {
                this.workingDirectory = folder;
            }
            return this;
        }

        /** The shell to run the command with, such as {@code /bin/bash -eo pipefail}. */
        @CanIgnoreReturnValue
        public Builder shell(String shell) {
            if (problems.nonNull(shell, "shell")) {
                this.shell = shell;
            }
            return this;
        }

        /** How long the command may run, positive. */
        @CanIgnoreReturnValue
        public Builder timeout(Duration timeout) {
            if (problems.positive(timeout, "timeout")) {
                this.timeout = timeout;
            }
            return this;
        }

        /** What the command needs its stage's roles to allow. Replaces. */
        @CanIgnoreReturnValue
        public Builder permissions(Permission... permissions) {
            this.permissions.clear();
            if (problems.nonNullElements(permissions, "permissions")) {
                this.permissions.addAll(List.of(permissions));
            }
            return this;
        }

        /** Problems found so far, paths relative to the step. */
        List<Problem> problems() {
            Problems all = new Problems();
            if (command == null || command.isBlank()) {
                all.add("command", "the command is " + (command == null ? "null" : "blank") + ".",
                        "Give the command to run.");
            }
            all.addAll(problems.list(), "");
            return all.list();
        }

        /**
         * The step.
         *
         * @throws InvalidPipelineException listing every problem
         */
        public ShellStep build() {
            Problems all = new Problems();
            all.addAll(problems(), "");
            all.throwIfAny("Shell step " + Problems.quote(name != null ? name : command));
            return new ShellStep(this);
        }
    }
}
