package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private static Workflow when(String condition) {
        return Configs.workflow("jobs: [build]\nwhen:\n" + condition.stripTrailing().indent(2));
    }

    @Test
    void parse_everyStatement_isTyped() {
        Workflow workflow = when("""
                and:
                  - or:
                    - equal: [main, << pipeline.git.branch >>]
                    - matches: {pattern: "^release/.*$", value: << pipeline.git.branch >>}
                  - not: << pipeline.parameters.skip >>
                  - true
                  - 1
                  - ~
                """);

        assertThat(workflow.when()).contains(Condition.and(
                Condition.or(
                        Condition.equal("main", "<< pipeline.git.branch >>"),
                        Condition.matches("^release/.*$", "<< pipeline.git.branch >>")),
                Condition.not(Condition.literal("<< pipeline.parameters.skip >>")),
                Condition.literal(true),
                Condition.literal(1),
                Condition.literal(null)));
    }

    @Test
    void build_everyStatement_writesWhatParses() {
        Condition condition = Condition.and(
                Condition.or(Condition.equal("main", "<< pipeline.git.branch >>"),
                        Condition.matches("^release/.*$", "<< pipeline.git.branch >>")),
                Condition.not(Condition.literal(null)));
        CircleCiConfig built = CircleCiConfig.builder()
                .putWorkflow("main", w -> w.addJob("build").when(condition))
                .build();

        assertThat(built.data()).isEqualTo(Configs.read("""
                workflows:
                  main:
                    jobs: [build]
                    when:
                      and:
                        - or:
                          - equal: [main, << pipeline.git.branch >>]
                          - matches: {pattern: "^release/.*$", value: << pipeline.git.branch >>}
                        - not: ~
                """).data());
    }

    @Test
    void parse_malformedStatements_areLiteralsWithWarnings() {
        CircleCiConfig config = Configs.read("""
                workflows:
                  main:
                    jobs: [build]
                    when:
                      or:
                        - and: not-a-list
                        - matches: {pattern: x}
                        - {custom: thing}
                        - [a, b]
                """);

        Condition.Or or = (Condition.Or) config.workflows().get("main").when().orElseThrow();
        assertThat(or.statements()).containsExactly(
                Condition.literal(Map.of("and", "not-a-list")),
                Condition.literal(Map.of("matches", Map.of("pattern", "x"))),
                Condition.literal(Map.of("custom", "thing")),
                Condition.literal(List.of("a", "b")));
        assertThat(config.warnings()).extracting(ConfigProblem::path).containsExactly(
                "workflows.main.when.or[0].and", "workflows.main.when.or[1].matches", "workflows.main.when.or[2]",
                "workflows.main.when.or[3]");
    }

    @Test
    void nullLiteral_isWrittenAsNull_notDropped() {
        ConditionalStep step = CircleCiStep.when(Condition.literal(null), List.of(CircleCiStep.checkout()));

        CircleCiStep read = Configs.steps("- when: {condition: ~, steps: [checkout]}").get(0);

        assertThat(read).isEqualTo(step);
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("condition", null);
        body.put("steps", List.of(Map.of("checkout", Map.of())));
        assertThat(step.toData()).isEqualTo(Map.of("when", body));
    }

    @Test
    void literal_ofAWellFormedStatement_isRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Condition.literal(Map.of("not", true)))
                .withMessageContaining("logic statement");
        assertThatIllegalArgumentException().isThrownBy(() -> Condition.literal(Map.of("and", List.of())));
    }

    @Test
    void literal_numbers_areCopiedAsPlainData() {
        assertThat(Condition.literal(1)).isEqualTo(Condition.literal(1L));
        assertThat(Condition.equal(Condition.literal("a"), "a").values()).containsExactly(Condition.literal("a"),
                Condition.literal("a"));
    }
}
