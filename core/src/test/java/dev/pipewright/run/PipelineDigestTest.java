package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Pipeline;
import dev.pipewright.run.DigestSpec.Mutation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineDigestTest {
    private static final String WORD = "x";
    /** {@link DigestSpec}'s pipeline's digest in format {@value PipelineDigest#FORMAT}. */
    private static final String PINNED = "5909764b96e441bf5884153379efe123652601a98225b762cd1dbf9ae440ee37";

    private static String digest(DigestSpec spec) {
        return PipelineDigest.of(spec.build());
    }

    @Test
    void of_isSixtyFourLowerCaseHexDigits() {
        assertThat(digest(new DigestSpec())).matches("[0-9a-f]{64}");
    }

    @Test
    void of_equalPipelinesBuiltTwice_giveTheSameDigest() {
        Pipeline first = new DigestSpec().build();
        Pipeline second = new DigestSpec().build();

        assertThat(second).isEqualTo(first).isNotSameAs(first);
        assertThat(PipelineDigest.of(second)).isEqualTo(PipelineDigest.of(first));
        assertThat(PipelineDigest.of(first.toBuilder().build())).isEqualTo(PipelineDigest.of(first));
    }

    /**
     * Pins the encoding: the same pipeline must get the same digest in every JVM run and release,
     * or resuming across an upgrade is refused. Change this value only with the format's version.
     */
    @Test
    void of_fixturePipeline_hasThePinnedDigest() {
        assertThat(digest(new DigestSpec())).isEqualTo(PINNED);
    }

    @Test
    void of_eachSemanticChange_changesTheDigest() {
        String base = digest(new DigestSpec());
        Map<String, String> seen = new HashMap<>();
        seen.put(base, "the unchanged pipeline");
        for (Mutation m : DigestSpec.SEMANTIC) {
            String changed = digest(DigestSpec.with(List.of(m), WORD));
            assertThat(seen.putIfAbsent(changed, m.name()))
                    .as("digest after changing %s must differ from the others", m.name())
                    .isNull();
        }
        assertThat(seen).hasSize(DigestSpec.SEMANTIC.size() + 1);
    }

    @Test
    void of_changesALocalRunDoesNotSee_keepTheDigest() {
        Pipeline basePipeline = new DigestSpec().build();
        String base = PipelineDigest.of(basePipeline);
        for (Mutation m : DigestSpec.IGNORED) {
            Pipeline changed = DigestSpec.with(List.of(m), WORD).build();
            if (!m.name().equals("variables insertion order")) {
                assertThat(changed).as("%s changes the pipeline", m.name()).isNotEqualTo(basePipeline);
            }
            assertThat(PipelineDigest.of(changed)).as("digest after changing %s", m.name()).isEqualTo(base);
        }
    }

    @Test
    void of_circleciOptionsOnly_keepTheDigest() {
        List<Mutation> circleci = DigestSpec.circleciOnly();
        assertThat(circleci).hasSize(3);

        Pipeline changed = DigestSpec.with(circleci, "other").build();

        assertThat(changed.circleci()).isNotEqualTo(new DigestSpec().build().circleci());
        assertThat(PipelineDigest.of(changed)).isEqualTo(digest(new DigestSpec()));
    }

    @Test
    void of_variablesInAnotherOrder_keepTheDigest() {
        DigestSpec reversed = new DigestSpec();
        reversed.variablesReversed = true;
        Pipeline a = new DigestSpec().build();
        Pipeline b = reversed.build();

        assertThat(b.stage("test").orElseThrow().variables().keySet())
                .containsExactly("MODE", "LEVEL");
        assertThat(PipelineDigest.of(b)).isEqualTo(PipelineDigest.of(a));
    }
}
