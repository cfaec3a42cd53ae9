package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An orb from the registry or a URL, as written under {@code orbs}: {@code circleci/node@5.2.0},
 * {@code ns/name@5}, {@code ns/name@volatile}, {@code ns/name@dev:alpha},
 * {@code ns/name@<< pipeline.parameters.v >>} or {@code https://example.com/orb.yml}. Any text is
 * kept; the accessors split the registry form.
 *
 * @param reference the text as written
 * @since 0.1
 */
public record OrbReference(String reference) implements Orb {
    private static final Pattern REGISTRY = Pattern.compile("\\s*([^/@\\s]+)/([^@\\s]+)@(.+?)\\s*");

    /** Checks the reference is not null. */
    public OrbReference {
        checkNotNull(reference, "reference");
    }

    /** The namespace of a registry reference: {@code circleci} in {@code circleci/node@5}. */
    public Optional<String> namespace() {
        return part(1);
    }

    /** The orb's name in a registry reference: {@code node} in {@code circleci/node@5}. */
    public Optional<String> name() {
        return part(2);
    }

    /** The version of a registry reference: {@code 5}, {@code volatile}, {@code dev:alpha}... */
    public Optional<String> version() {
        return part(3);
    }

    /** Whether the reference is an HTTPS URL, for URL orbs. */
    public boolean isUrl() {
        return reference.startsWith("https://");
    }

    private Optional<String> part(int group) {
        Matcher m = REGISTRY.matcher(reference);
        return !isUrl() && m.matches() ? Optional.of(m.group(group)) : Optional.empty();
    }

    @Override
    public String toString() {
        return reference;
    }
}
