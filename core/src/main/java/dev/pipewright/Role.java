package dev.pipewright;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A named identity a stage acts as, with a provider-neutral description of what it may do. A
 * stage receives the credentials of the roles it declares with {@code as(role)} and of no other.
 * Which provider turns the role into credentials is up to the runner's credentials provider: the
 * {@code aws} module reads {@link #assumes()} as an IAM role ARN and {@link #grants()} as its
 * session policy.
 *
 * <pre>{@code
 * Role deployer = Role.named("deploy-production")
 *     .assumes("arn:aws:iam::123456789012:role/housing-api-deploy-production")
 *     .grant("lambda:UpdateFunctionCode", "arn:aws:lambda:*:*:function:housing-api-production")
 *     .build();
 * }</pre>
 *
 * <p>Roles are immutable and thread-safe, and equal when all their values are.
 *
 * @since 0.1
 */
public final class Role {
    private final String name;
    private final Optional<String> description;
    private final Optional<String> assumes;
    private final List<Permission> grants;

    private Role(Builder b) {
        this.name = b.name;
        this.description = Optional.ofNullable(b.description);
        this.assumes = Optional.ofNullable(b.assumes);
        this.grants = ImmutableList.copyOf(b.grants);
    }

    /** Starts a role called {@code name}; the name is checked by {@code build()}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** A builder holding this role's values. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.description = description.orElse(null);
        b.assumes = assumes.orElse(null);
        b.grants.addAll(grants);
        return b;
    }

    /** The role's name, unique within its pipeline. */
    public String name() {
        return name;
    }

    /** What the role is for, in words; empty when none was given. */
    public Optional<String> description() {
        return description;
    }

    /** The provider's identity to assume, for example an IAM role ARN; empty when none was given. */
    public Optional<String> assumes() {
        return assumes;
    }

    /** What this role may do; empty when it is opaque. */
    public List<Permission> grants() {
        return grants;
    }

    /** Whether one of this role's grants {@linkplain Permission#covers covers} {@code needed}. */
    public boolean allows(Permission needed) {
        return grants.stream().anyMatch(g -> g.covers(needed));
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Role r && name.equals(r.name) && description.equals(r.description)
                && assumes.equals(r.assumes) && grants.equals(r.grants);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, assumes, grants);
    }

    @Override
    public String toString() {
        return "role '" + name + "'";
    }

    /**
     * Builds a {@link Role}. A null or invalid argument is recorded as a problem, not thrown:
     * {@link #build()} reports every problem at once. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String name;
        private @Nullable String description;
        private @Nullable String assumes;
        private final List<Permission> grants = new ArrayList<>();
        private final Problems problems = new Problems();

        private Builder(String name) {
            this.name = name;
        }

        /** What the role is for, in words. */
        @CanIgnoreReturnValue
        public Builder description(String description) {
            if (problems.nonNull(description, "description")) {
                this.description = description;
            }
            return this;
        }

        /** The provider identity to assume, for example {@code arn:aws:iam::123456789012:role/deployer}. */
        @CanIgnoreReturnValue
        public Builder assumes(String identity) {
            if (problems.nonNull(identity, "assumes") && identity.isBlank()) {
                problems.add("assumes", "a blank identity was given.", "Give the identity to assume, such as a role ARN.");
            } else if (identity != null) {
                this.assumes = identity;
            }
            return this;
        }

        /** Replaces the permissions with {@code permissions}. */
        @CanIgnoreReturnValue
        public Builder grants(Permission... permissions) {
            grants.clear();
            if (problems.nonNullElements(permissions, "grants")) {
                grants.addAll(List.of(permissions));
            }
            return this;
        }

        /** Adds the permission to do {@code action} on {@code resource}; both must be given and not blank. */
        @CanIgnoreReturnValue
        public Builder grant(String action, String resource) {
            try {
                grants.add(Permission.of(action, resource));
            } catch (IllegalArgumentException e) {
                problems.add("grant", e.getMessage() + ".", "Give an action and a resource (\"*\" for any).");
            } catch (NullPointerException e) {
                // checkNotNull names the part: "action" or "resource".
                problems.add("grant", "no " + e.getMessage() + " was given.",
                        "Give an action and a resource (\"*\" for any).");
            }
            return this;
        }

        /**
         * The role.
         *
         * @throws InvalidPipelineException listing every problem, such as an invalid name, a blank
         *     identity or an incomplete grant
         */
        public Role build() {
            Problems all = new Problems();
            all.checkName(name, "name");
            all.addAll(problems.list(), "");
            all.throwIfAny("Role " + Problems.quote(name));
            return new Role(this);
        }
    }
}
