package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterTest {

    private static final String EVERY_TYPE = """
            version: 2.1
            commands:
              every:
                description: every parameter type
                parameters:
                  s: {type: string, default: hello, description: a string}
                  b: {type: boolean, default: true}
                  i: {type: integer, default: 3}
                  e: {type: enum, enum: [dev, prod], default: dev}
                  x: {type: executor, default: default}
                  st:
                    type: steps
                    default:
                      - run: echo default
                      - checkout
                  v: {type: env_var_name, default: AWS_KEY}
                steps:
                  - steps: << parameters.st >>
            """;

    @Test
    void parse_everyType_isTypedWithItsDefault() {
        Command every = Configs.read(EVERY_TYPE).commands().get("every");
        Map<String, Parameter> p = every.parameters();

        assertThat(p.values()).extracting(x -> x.type().orElseThrow()).containsExactly(ParameterType.STRING,
                ParameterType.BOOLEAN, ParameterType.INTEGER, ParameterType.ENUM, ParameterType.EXECUTOR,
                ParameterType.STEPS, ParameterType.ENV_VAR_NAME);
        assertThat(p.get("s").defaultValue()).contains("hello");
        assertThat(p.get("s").description()).contains("a string");
        assertThat(p.get("b").defaultValue()).contains(true);
        assertThat(p.get("i").defaultValue()).contains(3L);
        assertThat(p.get("e").enumValues()).containsExactly("dev", "prod");
        assertThat(p.get("st").defaultValue()).contains(List.of(CircleCiStep.run("echo default"), CircleCiStep.checkout()));
        assertThat(every.description()).contains("every parameter type");
        assertThat(every.steps()).containsExactly(ParameterExpansionStep.keyed("<< parameters.st >>"));
    }

    @Test
    void build_everyType_writesWhatParses() {
        Command every = Command.builder()
                .description("every parameter type")
                .putParameter("s", Parameter.builder().type(ParameterType.STRING).defaultValue("hello")
                        .description("a string").build())
                .putParameter("b", Parameter.builder().type(ParameterType.BOOLEAN).defaultValue(true).build())
                .putParameter("i", Parameter.builder().type(ParameterType.INTEGER).defaultValue(3).build())
                .putParameter("e", Parameter.builder().type(ParameterType.ENUM).addEnumValue("dev").addEnumValue("prod")
                        .defaultValue("dev").build())
                .putParameter("x", Parameter.builder().type(ParameterType.EXECUTOR).defaultValue("default").build())
                .putParameter("st", Parameter.builder().type(ParameterType.STEPS)
                        .defaultValue(List.of(CircleCiStep.run("echo default"), CircleCiStep.checkout())).build())
                .putParameter("v", Parameter.builder().type(ParameterType.ENV_VAR_NAME).defaultValue("AWS_KEY").build())
                .addStep(ParameterExpansionStep.keyed("<< parameters.st >>"))
                .build();

        assertThat(CircleCiConfig.builder().version(Version.V2_1).putCommand("every", every).build())
                .isEqualTo(Configs.read(EVERY_TYPE));
    }

    @Test
    void parse_pipelineParameters_areTyped() {
        CircleCiConfig config = Configs.read("""
                parameters:
                  deploy: {type: boolean, default: false}
                  env: {type: enum, enum: [dev, prod], default: dev, description: where}
                """);

        assertThat(config.parameters()).containsOnlyKeys("deploy", "env");
        assertThat(config.parameters().get("env").description()).contains("where");
    }

    @Test
    void parse_oddShapes_areKeptWithWarnings() {
        CircleCiConfig config = Configs.read("""
                parameters:
                  a: {type: text, default: x}
                  b: {type: string, default: [x]}
                  c: {type: string, default: }
                  d: {type: enum, enum: [1, 2]}
                """);

        Map<String, Parameter> p = config.parameters();
        assertThat(p.get("a").type()).isEmpty();
        assertThat(p.get("a").defaultValue()).contains("x");
        assertThat(p.get("b").extra()).containsOnlyKeys("default");
        assertThat(p.get("c").extra()).containsEntry("default", null);
        assertThat(p.get("d").extra()).containsOnlyKeys("enum");
        assertThat(config.warnings()).extracting(ConfigProblem::path)
                .containsExactly("parameters.a.type", "parameters.b.default", "parameters.c.default", "parameters.d.enum");
    }

    @Test
    void parse_numberDefaultOfAStringParameter_staysANumber() {
        Parameter p = Configs.read("parameters: {v: {type: string, default: 3.9}}").parameters().get("v");

        assertThat(p.defaultValue()).contains(3.9);
    }

    @Test
    void build_stepsDefaultOnAnotherType_isRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Parameter.builder().type(ParameterType.STRING).defaultValue(List.of(CircleCiStep.checkout())).build())
                .withMessageContaining("steps parameter");
        assertThatIllegalArgumentException().isThrownBy(() -> Parameter.builder().defaultValue(Map.of()))
                .withMessageContaining("default");
    }
}
