package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.run.DigestSpec.Mutation;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The digest over generated changes to one pipeline: any set of changes to what it does changes
 * the digest, any set of changes a local run cannot see keeps it, and the digest depends on
 * values only.
 */
class PipelineDigestPropertiesTest {
    private static final String BASE = PipelineDigest.of(new DigestSpec().build());

    @Provide
    Arbitrary<List<Mutation>> semantic() {
        return Arbitraries.of(DigestSpec.SEMANTIC).list().ofMinSize(1).ofMaxSize(4).uniqueElements();
    }

    @Provide
    Arbitrary<List<Mutation>> ignored() {
        return Arbitraries.of(DigestSpec.IGNORED).list().ofMinSize(1).ofMaxSize(4).uniqueElements();
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
    }

    @Property(tries = 300)
    void semanticChanges_changeTheDigest(@ForAll("semantic") List<Mutation> changes, @ForAll("words") String word) {
        assertThat(PipelineDigest.of(DigestSpec.with(changes, word).build())).isNotEqualTo(BASE);
    }

    @Property(tries = 100)
    void changesALocalRunDoesNotSee_keepTheDigest(@ForAll("ignored") List<Mutation> changes,
            @ForAll("words") String word) {
        assertThat(PipelineDigest.of(DigestSpec.with(changes, word).build())).isEqualTo(BASE);
    }

    @Property(tries = 100)
    void sameChanges_giveTheSameDigest(@ForAll("semantic") List<Mutation> changes, @ForAll("words") String word) {
        String once = PipelineDigest.of(DigestSpec.with(changes, word).build());
        String again = PipelineDigest.of(DigestSpec.with(changes, word).build());

        assertThat(again).isEqualTo(once);
    }
}
