package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Expressions and {@code << ... >>} references, as CircleCI resolves them at compile time. */
class LocalExpressionTest {
    private final Map<String, @Nullable Object> values = new LinkedHashMap<>(Map.of(
            "pipeline.git.branch", "main", "pipeline.git.tag", "", "parameters.n", 3L, "parameters.deploy", true,
            "parameters.steps", List.of(Map.of("run", Map.of("command", "make")))));
    private final List<String> problems = new ArrayList<>();
    private final LocalInterpolation interpolation = new LocalInterpolation(values, "job 'j'",
            (path, message) -> problems.add(path + ": " + message), name -> Optional.empty());

    private @Nullable Object evaluate(String text) throws LocalExpression.Failure {
        return LocalExpression.evaluate(text, interpolation.names());
    }

    @Test
    void evaluate_comparisonsAndLogic() throws LocalExpression.Failure {
        assertThat(evaluate("pipeline.git.branch == \"main\"")).isEqualTo(true);
        assertThat(evaluate("pipeline.git.branch != 'main' or pipeline.git.tag starts-with \"v\"")).isEqualTo(false);
        assertThat(evaluate("not (pipeline.git.branch ends-with \"ain\") and true")).isEqualTo(false);
        assertThat(evaluate("pipeline.git.branch matches \"ma.*\"")).isEqualTo(true);
        assertThat(evaluate("parameters.n == 3")).isEqualTo(true);
        assertThat(evaluate("parameters.deploy")).isEqualTo(true);
    }

    @Test
    void evaluate_badExpressions_sayWhatIsWrong() {
        assertThatThrownBy(() -> evaluate("pipeline.git.branch = \"main\"")).hasMessageContaining("lone '='");
        assertThatThrownBy(() -> evaluate("pipeline.git.branch == \"main")).hasMessageContaining("unclosed string");
        assertThatThrownBy(() -> evaluate("(true")).hasMessageContaining("unclosed '('");
        assertThatThrownBy(() -> evaluate("parameters.nope")).hasMessageContaining("job 'j' declares no parameter 'nope'");
    }

    @Test
    void looksLikeExpression_onlyForOperatorsOrDottedNames() {
        assertThat(LocalExpression.looksLikeExpression("pipeline.git.branch == \"main\"")).isTrue();
        assertThat(LocalExpression.looksLikeExpression("pipeline.parameters.run")).isTrue();
        assertThat(LocalExpression.looksLikeExpression("main")).isFalse();
        assertThat(LocalExpression.looksLikeExpression("some words here")).isTrue();
    }

    @Test
    void truthy_asCircleCiReadsLiterals() {
        assertThat(LocalExpression.truthy(null)).isFalse();
        assertThat(LocalExpression.truthy("")).isFalse();
        assertThat(LocalExpression.truthy(0L)).isFalse();
        assertThat(LocalExpression.truthy(Double.NaN)).isFalse();
        assertThat(LocalExpression.truthy("false")).isTrue();
        assertThat(LocalExpression.truthy(2L)).isTrue();
    }

    @Test
    void resolve_wholeReferencesKeepTheirTypeAndPartsBecomeText() {
        assertThat(interpolation.resolve("<< parameters.deploy >>", "p")).isEqualTo(true);
        assertThat(interpolation.resolve("<<parameters.n>>", "p")).isEqualTo(3L);
        assertThat(interpolation.resolve("<< parameters.steps >>", "p")).isEqualTo(values.get("parameters.steps"));
        assertThat(interpolation.resolve("make -j<< parameters.n >> on << pipeline.git.branch >>", "p"))
                .isEqualTo("make -j3 on main");
        assertThat(interpolation.resolve("<< pipeline.git.branch == \"main\" >>", "p")).isEqualTo(true);
        assertThat(problems).isEmpty();
    }

    @Test
    void resolve_leavesHereDocumentsAndEscapesAlone() {
        assertThat(interpolation.resolve("cat <<EOF >> out.txt", "p")).isEqualTo("cat <<EOF >> out.txt");
        assertThat(interpolation.resolve("echo \\<< parameters.n >>", "p")).isEqualTo("echo << parameters.n >>");
        assertThat(problems).isEmpty();
    }

    @Test
    void resolve_unknownOrMisplacedReferences_areReportedWithTheirPath() {
        interpolation.resolve(Map.of("steps", List.of("echo << parameters.nope >>")), "jobs.j");
        interpolation.resolve("run << parameters.steps >>", "jobs.j.x");

        assertThat(problems).containsExactly(
                "jobs.j.steps[0]: job 'j' declares no parameter 'nope'; it declares [deploy, n, steps]. Declare it"
                        + " under parameters or fix the name.",
                "jobs.j.x: << parameters.steps >> is a list, which cannot be part of a text; use it as the whole value.");
    }
}
