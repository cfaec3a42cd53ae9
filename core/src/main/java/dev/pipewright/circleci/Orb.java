package dev.pipewright.circleci;

/**
 * An entry under {@code orbs}: a {@link OrbReference} to an orb published elsewhere, or an
 * {@link InlineOrb} defined in the configuration itself.
 *
 * <pre>{@code
 * CircleCiConfig.builder().putOrb("node", Orb.reference("circleci/node@5.2.0"))
 * }</pre>
 *
 * @since 0.1
 */
public sealed interface Orb permits OrbReference, InlineOrb {

    /** An orb by reference, such as {@code circleci/node@5.2.0}. */
    static OrbReference reference(String reference) {
        return new OrbReference(reference);
    }
}
