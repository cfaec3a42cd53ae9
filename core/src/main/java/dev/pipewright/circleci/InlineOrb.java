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
 * An orb defined inside the configuration, under {@code orbs}: its own commands, executors,
 * jobs and orbs, used as {@code alias/name} like a published orb.
 *
 * <p>Orb metadata other than {@code version} and {@code description} ({@code display}, {@code
 * examples}) is kept in {@link #extra()}.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * InlineOrb.builder().putCommand("greet", Command.builder().addStep(CircleCiStep.run("echo hi")).build()).build()
 * }</pre>
 *
 * @since 0.1
 */
public final class InlineOrb implements Orb {
    private final @Nullable Version version;
    private final @Nullable String description;
    private final @Nullable Map<String, Orb> orbs;
    private final @Nullable Map<String, Command> commands;
    private final @Nullable Map<String, Executor> executors;
    private final @Nullable Map<String, Job> jobs;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private InlineOrb(Builder b) {
        this.version = b.version;
        this.description = b.description;
        this.orbs = b.orbs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.orbs));
        this.commands = b.commands == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.commands));
        this.executors = b.executors == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.executors));
        this.jobs = b.jobs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.jobs));
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("version", version)
                .put("description", description)
                .putMap("orbs", orbs, FieldWriter::data)
                .putMap("commands", commands, Command::toData)
                .putMap("executors", executors, Executor::toData)
                .putMap("jobs", jobs, Job::toData)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.version = version;
        b.description = description;
        b.orbs = orbs == null ? null : new LinkedHashMap<>(orbs);
        b.commands = commands == null ? null : new LinkedHashMap<>(commands);
        b.executors = executors == null ? null : new LinkedHashMap<>(executors);
        b.jobs = jobs == null ? null : new LinkedHashMap<>(jobs);
        b.extra.putAll(extra);
        return b;
    }

    /** {@code version}: the orb's configuration version. */
    public Optional<Version> version() {
        return Optional.ofNullable(version);
    }

    /** {@code description}: what the orb does. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** {@code orbs}: orbs the orb uses, by alias. Empty when absent. */
    public Map<String, Orb> orbs() {
        return orbs == null ? Map.of() : orbs;
    }

    /** {@code commands}: commands by name. Empty when absent. */
    public Map<String, Command> commands() {
        return commands == null ? Map.of() : commands;
    }

    /** {@code executors}: executors by name. Empty when absent. */
    public Map<String, Executor> executors() {
        return executors == null ? Map.of() : executors;
    }

    /** {@code jobs}: jobs by name. Empty when absent. */
    public Map<String, Job> jobs() {
        return jobs == null ? Map.of() : jobs;
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: an ordered, unmodifiable mapping. */
    Map<String, @Nullable Object> toData() {
        return data;
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static InlineOrb fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "an inline orb");
        Builder b = builder();
        r.read("version", Shape.VERSION, b::version);
        r.read("description", Shape.STRING, b::description);
        r.read("orbs", Shape.ORBS, b::orbs);
        r.read("commands", Command.SECTION, b::commands);
        r.read("executors", Executor.SECTION, b::executors);
        r.read("jobs", Job.SECTION, b::jobs);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof InlineOrb o
                && Objects.equals(version, o.version)
                && Objects.equals(description, o.description)
                && Objects.equals(orbs, o.orbs)
                && Objects.equals(commands, o.commands)
                && Objects.equals(executors, o.executors)
                && Objects.equals(jobs, o.jobs)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, description, orbs, commands, executors, jobs, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "InlineOrb" + toData();
    }

    /** Builds {@link InlineOrb}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable Version version;
        private @Nullable String description;
        private @Nullable Map<String, Orb> orbs;
        private @Nullable Map<String, Command> commands;
        private @Nullable Map<String, Executor> executors;
        private @Nullable Map<String, Job> jobs;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code version}: the orb's configuration version. */
        @CanIgnoreReturnValue
        public Builder version(Version version) {
            this.version = checkNotNull(version, "version");
            return this;
        }

        /** Sets {@code description}: what the orb does. */
        @CanIgnoreReturnValue
        public Builder description(String description) {
            this.description = checkNotNull(description, "description");
            return this;
        }

        /** Replaces {@code orbs}: orbs the orb uses, by alias; an empty map is written as {@code {}}. */
        @CanIgnoreReturnValue
        public Builder orbs(Map<String, ? extends Orb> orbs) {
            checkNotNull(orbs, "orbs");
            this.orbs = new LinkedHashMap<>();
            orbs.forEach((k, v) -> this.orbs.put(checkNotNull(k, "name"), checkNotNull(v, "orb")));
            return this;
        }

        /** Adds or replaces one entry of {@code orbs}, keeping the order of first addition. */
        @CanIgnoreReturnValue
        public Builder putOrb(String name, Orb orb) {
            if (this.orbs == null) {
                this.orbs = new LinkedHashMap<>();
            }
            this.orbs.put(checkNotNull(name, "name"), checkNotNull(orb, "orb"));
            return this;
        }

        /** Replaces {@code commands}: commands by name; an empty map is written as {@code {}}. */
        @CanIgnoreReturnValue
        public Builder commands(Map<String, ? extends Command> commands) {
            checkNotNull(commands, "commands");
            this.commands = new LinkedHashMap<>();
            commands.forEach((k, v) -> this.commands.put(checkNotNull(k, "name"), checkNotNull(v, "command")));
            return this;
        }

        /** Adds or replaces one entry of {@code commands}, keeping the order of first addition. */
        @CanIgnoreReturnValue
        public Builder putCommand(String name, Command command) {
            if (this.commands == null) {
                this.commands = new LinkedHashMap<>();
            }
            this.commands.put(checkNotNull(name, "name"), checkNotNull(command, "command"));
            return this;
        }

        /** Replaces {@code executors}: executors by name; an empty map is written as {@code {}}. */
        @CanIgnoreReturnValue
        public Builder executors(Map<String, ? extends Executor> executors) {
            checkNotNull(executors, "executors");
            this.executors = new LinkedHashMap<>();
            executors.forEach((k, v) -> this.executors.put(checkNotNull(k, "name"), checkNotNull(v, "executor")));
            return this;
        }

        /** Adds or replaces one entry of {@code executors}, keeping the order of first addition. */
        @CanIgnoreReturnValue
        public Builder putExecutor(String name, Executor executor) {
            if (this.executors == null) {
                this.executors = new LinkedHashMap<>();
            }
            this.executors.put(checkNotNull(name, "name"), checkNotNull(executor, "executor"));
            return this;
        }

        /** Replaces {@code jobs}: jobs by name; an empty map is written as {@code {}}. */
        @CanIgnoreReturnValue
        public Builder jobs(Map<String, ? extends Job> jobs) {
            checkNotNull(jobs, "jobs");
            this.jobs = new LinkedHashMap<>();
            jobs.forEach((k, v) -> this.jobs.put(checkNotNull(k, "name"), checkNotNull(v, "job")));
            return this;
        }

        /** Adds or replaces one entry of {@code jobs}, keeping the order of first addition. */
        @CanIgnoreReturnValue
        public Builder putJob(String name, Job job) {
            if (this.jobs == null) {
                this.jobs = new LinkedHashMap<>();
            }
            this.jobs.put(checkNotNull(name, "name"), checkNotNull(job, "job"));
            return this;
        }

        /** Replaces the kept keys; see {@link InlineOrb#extra()}. Values are copied as plain data. */
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
        public InlineOrb build() {
            return new InlineOrb(this);
        }
    }
}
