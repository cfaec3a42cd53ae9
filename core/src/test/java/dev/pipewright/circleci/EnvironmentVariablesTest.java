package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentVariablesTest {

    private static RunStep run(String environment) {
        return (RunStep) Configs.steps("- run:\n    command: x\n    environment:" + environment).get(0);
    }

    @Test
    void parse_listOfOneKeyMaps_isAMapping() {
        assertThat(run("\n      - A: 1\n      - B: b\n").environment())
                .contains(EnvironmentVariables.of(Map.of("A", 1L, "B", "b")));
    }

    @Test
    void parse_listOfAssignments_isKept() {
        assertThat(run(" [A=1, B=b]\n").environment()).contains(EnvironmentVariables.assignments(List.of("A=1", "B=b")));
    }

    @Test
    void parse_string_isKeptAsText() {
        assertThat(run(" A=1\n").environment()).contains(EnvironmentVariables.text("A=1"));
    }

    @Test
    void parse_otherShapes_areKeptWithWarnings() {
        CircleCiConfig config = Configs.read("""
                jobs:
                  a: {environment: {A: [1]}}
                  b: {environment: [A=1, {B: 2}]}
                  c: {environment: 3}
                """);

        assertThat(config.jobs().values()).allMatch(j -> j.environment().isEmpty() && j.extra().containsKey("environment"));
        assertThat(config.warnings()).extracting(ConfigProblem::path)
                .containsExactly("jobs.a.environment", "jobs.b.environment", "jobs.c.environment");
    }

    @Test
    void build_eachShape_writesWhatParses() {
        Job job = Job.builder()
                .addStep(RunStep.builder().command("x").environment(EnvironmentVariables.text("A=1")).build())
                .addStep(RunStep.builder().command("x").environment(EnvironmentVariables.assignments(List.of("A=1"))).build())
                .addStep(RunStep.builder().command("x").putEnvironment("A", 1).putEnvironment("B", null).build())
                .build();

        assertThat(Configs.dataOfJob(job)).isEqualTo(Configs.read("""
                version: 2.1
                jobs:
                  build:
                    steps:
                      - run: {command: x, environment: A=1}
                      - run: {command: x, environment: [A=1]}
                      - run: {command: x, environment: {A: 1, B: }}
                """).data());
    }

    @Test
    void of_listValue_isRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> EnvironmentVariables.of(Map.of("A", List.of())))
                .withMessageContaining("variable A");
    }

    @Test
    void interpolable_literalOfAnotherType_andExpressionWithoutInterpolation_areRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Interpolable.of(1.5));
        assertThatIllegalArgumentException().isThrownBy(() -> Interpolable.expression("4"))
                .withMessageContaining("<< ... >>");
    }
}
