package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrbTest {

    @Test
    void parse_referencesInEveryForm_areKeptAsWritten() {
        CircleCiConfig config = Configs.read("""
                version: 2.1
                orbs:
                  full: circleci/node@5.2.0
                  minor: circleci/node@5.2
                  major: circleci/node@5
                  volatile: circleci/node@volatile
                  dev: ns/orb@dev:alpha
                  param: circleci/node@<< pipeline.parameters.node-orb >>
                  url: https://example.com/orbs/my-orb.yml
                """);

        assertThat(config.orbs().values()).allMatch(o -> o instanceof OrbReference);
        OrbReference full = (OrbReference) config.orbs().get("full");
        assertThat(full.namespace()).contains("circleci");
        assertThat(full.name()).contains("node");
        assertThat(full.version()).contains("5.2.0");
        assertThat(((OrbReference) config.orbs().get("dev")).version()).contains("dev:alpha");
        assertThat(((OrbReference) config.orbs().get("param")).version()).contains("<< pipeline.parameters.node-orb >>");
        OrbReference url = (OrbReference) config.orbs().get("url");
        assertThat(url.isUrl()).isTrue();
        assertThat(url.namespace()).isEmpty();
        assertThat(url.version()).isEmpty();
    }

    @Test
    void parse_inlineOrb_typesItsSectionsAndNestedOrbs() {
        CircleCiConfig config = Configs.read("""
                version: 2.1
                orbs:
                  tools:
                    version: 2.1
                    description: local tools
                    orbs:
                      node: circleci/node@5
                    executors:
                      default:
                        docker: [image: cimg/base:current]
                    commands:
                      hello:
                        parameters:
                          who: {type: string, default: world}
                        steps:
                          - run: echo hello << parameters.who >>
                    jobs:
                      greet:
                        executor: default
                        steps: [hello]
                    display:
                      home_url: https://example.com
                """);

        InlineOrb tools = (InlineOrb) config.orbs().get("tools");
        assertThat(tools.version()).contains(Version.V2_1);
        assertThat(tools.description()).contains("local tools");
        assertThat(tools.orbs().get("node")).isEqualTo(Orb.reference("circleci/node@5"));
        assertThat(tools.commands().get("hello").parameters().get("who").defaultValue()).contains("world");
        assertThat(tools.jobs().get("greet").steps()).containsExactly(CircleCiStep.command("hello"));
        assertThat(tools.executors()).containsKey("default");
        assertThat(tools.extra()).containsOnlyKeys("display");
        assertThat(config.warnings()).singleElement().asString()
                .contains("orbs.tools.display: 'display' is not a key of an inline orb");
    }

    @Test
    void build_inlineOrb_writesItsSections() {
        InlineOrb orb = InlineOrb.builder()
                .version(Version.V2_1)
                .putCommand("hello", Command.builder().addStep(CircleCiStep.run("echo hello")).build())
                .build();

        CircleCiConfig config = CircleCiConfig.builder().putOrb("tools", orb).build();

        assertThat(config.data()).isEqualTo(Configs.read("""
                orbs:
                  tools:
                    version: 2.1
                    commands:
                      hello:
                        steps: [run: echo hello]
                """).data());
    }

    @Test
    void parse_orbOfAnotherShape_keepsTheSection() {
        CircleCiConfig config = Configs.read("orbs:\n  node: 5\n");

        assertThat(config.orbs()).isEmpty();
        assertThat(config.warnings()).singleElement().asString()
                .contains("'node' is the number 5, not an orb reference (a string) or an inline orb (a mapping)");
    }
}
