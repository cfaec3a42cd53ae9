package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorTest {

    @Test
    void parse_dockerExecutor_typesEveryImageKey() {
        CircleCiConfig config = Configs.read("""
                version: 2.1
                executors:
                  app:
                    description: app and database
                    parameters:
                      tag: {type: string, default: "16"}
                    docker:
                      - image: cimg/openjdk:21.0
                        auth: {username: me, password: $DOCKER_PASSWORD}
                        entrypoint: [/bin/sh, -c]
                        command: sleep infinity
                        user: root
                      - image: 123.dkr.ecr.eu-west-2.amazonaws.com/db:<< parameters.tag >>
                        name: db
                        aws_auth: {oidc_role_arn: arn:aws:iam::123:role/pull}
                        environment:
                          - POSTGRES_USER=test
                      - image: other
                        aws_auth: {aws_access_key_id: $ID, aws_secret_access_key: $SECRET}
                    resource_class: medium
                    working_directory: /app
                    shell: /bin/bash
                    environment: {A: 1, B: true, C: ~}
                """);

        Executor app = config.executors().get("app");
        assertThat(app.description()).contains("app and database");
        assertThat(app.parameters()).containsKey("tag");
        DockerImage primary = app.docker().get(0);
        assertThat(primary.auth()).contains(DockerAuth.of("me", "$DOCKER_PASSWORD"));
        assertThat(primary.entrypoint()).contains(List.of("/bin/sh", "-c"));
        assertThat(primary.command()).contains("sleep infinity");
        assertThat(primary.user()).contains("root");
        DockerImage db = app.docker().get(1);
        assertThat(db.name()).contains("db");
        assertThat(db.awsAuth()).contains(AwsAuth.oidcRole("arn:aws:iam::123:role/pull"));
        assertThat(db.environment()).contains(EnvironmentVariables.assignments(List.of("POSTGRES_USER=test")));
        assertThat(app.docker().get(2).awsAuth()).contains(AwsAuth.accessKeys("$ID", "$SECRET"));
        assertThat(app.resourceClass()).contains("medium");
        assertThat(app.workingDirectory()).contains("/app");
        assertThat(app.shell()).contains("/bin/bash");
        Map<String, Object> env = new java.util.LinkedHashMap<>();
        env.put("A", 1L);
        env.put("B", true);
        env.put("C", null);
        assertThat(app.environment()).contains(EnvironmentVariables.of(env));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void build_dockerExecutor_writesWhatParses() {
        Executor built = Executor.builder()
                .docker(List.of(DockerImage.builder().image("cimg/openjdk:21.0").entrypoint(List.of("/bin/sh", "-c"))
                        .command("sleep infinity").auth(DockerAuth.of("me", "pw")).build()))
                .addDocker(DockerImage.builder().image("db").name("db").putEnvironment("N", 1).build())
                .resourceClass("medium")
                .build();

        assertThat(CircleCiConfig.builder().putExecutor("app", built).build().data()).isEqualTo(Configs.read("""
                executors:
                  app:
                    docker:
                      - image: cimg/openjdk:21.0
                        entrypoint: [/bin/sh, -c]
                        command: sleep infinity
                        auth: {username: me, password: pw}
                      - {image: db, name: db, environment: {N: 1}}
                    resource_class: medium
                """).data());
    }

    @Test
    void parse_machineAsMap_asTrue_andAsInterpolation() {
        CircleCiConfig config = Configs.read("""
                executors:
                  vm:
                    machine:
                      image: ubuntu-2404:current
                      docker_layer_caching: << parameters.dlc >>
                      resource_class: large
                      shell: bash
                      enabled: true
                  legacy:
                    machine: true
                  chosen:
                    machine: << parameters.machine >>
                """);

        Machine vm = config.executors().get("vm").machine().orElseThrow();
        assertThat(vm.image()).contains("ubuntu-2404:current");
        assertThat(vm.dockerLayerCaching()).contains(Interpolable.expression("<< parameters.dlc >>"));
        assertThat(vm.resourceClass()).contains("large");
        assertThat(vm.shell()).contains("bash");
        assertThat(vm.enabled()).contains(Interpolable.of(true));
        assertThat(vm.shorthand()).isEmpty();
        assertThat(config.executors().get("legacy").machine()).contains(Machine.defaultImage());
        assertThat(config.executors().get("chosen").machine().orElseThrow().shorthand())
                .contains(Interpolable.expression("<< parameters.machine >>"));
    }

    @Test
    void build_machineShorthandWithKeys_isRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Machine.builder().shorthand(Interpolable.of(true)).image("x").build())
                .withMessageContaining("no other keys");
    }

    @Test
    void parse_machineOfAnotherShape_isKeptWithAWarning() {
        CircleCiConfig config = Configs.read("executors:\n  vm:\n    machine: ubuntu-2004:202010-01\n");

        assertThat(config.executors().get("vm").machine()).isEmpty();
        assertThat(config.executors().get("vm").extra()).containsEntry("machine", "ubuntu-2004:202010-01");
        assertThat(config.warnings()).hasSize(1);
    }

    @Test
    void parse_macos_keepsXcodeAsWritten() {
        CircleCiConfig config = Configs.read("""
                executors:
                  number: {macos: {xcode: 13.0}}
                  text: {macos: {xcode: "15.4.0", resource_class: macos.m1.medium.gen1, shell: zsh}}
                """);

        assertThat(config.executors().get("number").macos().orElseThrow().xcode()).contains(Version.number("13.0"));
        MacOs text = config.executors().get("text").macos().orElseThrow();
        assertThat(text).isEqualTo(MacOs.xcode(Version.string("15.4.0")).toBuilder()
                .resourceClass("macos.m1.medium.gen1").shell("zsh").build());
        assertThat(config.data()).isEqualTo(CircleCiConfig.builder()
                .putExecutor("number", e -> e.macos(MacOs.xcode(Version.number("13.0"))))
                .putExecutor("text", Executor.builder().macos(text).build()).build().data());
    }

    @Test
    void parse_dockerAuthMissingAPassword_isKeptWithAWarning() {
        CircleCiConfig config = Configs.read("executors:\n  e:\n    docker:\n      - image: x\n        auth: {username: me}\n");

        DockerImage image = config.executors().get("e").docker().get(0);
        assertThat(image.auth()).isEmpty();
        assertThat(image.extra()).containsOnlyKeys("auth");
        assertThat(config.warnings()).singleElement().asString()
                .contains("executors.e.docker[0].auth: expected a mapping with username and password");
    }

    @Test
    void putEnvironment_onANonMappingEnvironment_isRejected() {
        DockerImage.Builder b = DockerImage.builder().environment(EnvironmentVariables.text("A=b"));

        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> b.putEnvironment("C", "d"))
                .withMessageContaining("not a mapping");
    }
}
