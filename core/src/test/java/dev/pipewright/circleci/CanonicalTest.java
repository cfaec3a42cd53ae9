package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalTest {

    private static Object canonical(String yaml) {
        return Canonical.config(YamlReader.read(yaml, "config.yml").root());
    }

    private static Object at(Object root, Object... path) {
        Object node = root;
        for (Object p : path) {
            node = p instanceof Integer i ? ((List<?>) node).get(i) : ((Map<?, ?>) node).get(p);
        }
        return node;
    }

    @Test
    void steps_shorthandFormsExpand() {
        Object c = canonical("""
                jobs:
                  build:
                    steps:
                      - checkout
                      - checkout:
                      - run: make
                      - deploy: ./deploy.sh
                      - my-command
                      - << parameters.steps >>
                      - save_cache: {key: k, paths: ~/.m2}
                      - persist_to_workspace: {root: ., paths: target}
                      - add_ssh_keys: {fingerprints: "aa:bb"}
                      - restore_cache: {keys: k1}
                """);
        assertThat(at(c, "jobs", "build", "steps")).isEqualTo(List.of(
                Map.of("checkout", Map.of()),
                Map.of("checkout", Map.of()),
                Map.of("run", Map.of("command", "make")),
                Map.of("deploy", Map.of("command", "./deploy.sh")),
                Map.of("my-command", Map.of()),
                "<< parameters.steps >>",
                Map.of("save_cache", Map.of("key", "k", "paths", List.of("~/.m2"))),
                Map.of("persist_to_workspace", Map.of("root", ".", "paths", List.of("target"))),
                Map.of("add_ssh_keys", Map.of("fingerprints", List.of("aa:bb"))),
                Map.of("restore_cache", Map.of("keys", List.of("k1")))));
    }

    @Test
    void steps_nestedInWhenAndCommandsAndPrePostSteps() {
        Object c = canonical("""
                commands:
                  setup:
                    steps:
                      - when:
                          condition: true
                          steps: [checkout]
                workflows:
                  main:
                    jobs:
                      - build:
                          pre-steps: [checkout]
                          post-steps:
                            - run: echo done
                """);
        assertThat(at(c, "commands", "setup", "steps", 0, "when", "steps")).isEqualTo(List.of(Map.of("checkout", Map.of())));
        assertThat(at(c, "workflows", "main", "jobs", 0, "build", "pre-steps")).isEqualTo(List.of(Map.of("checkout", Map.of())));
        assertThat(at(c, "workflows", "main", "jobs", 0, "build", "post-steps"))
                .isEqualTo(List.of(Map.of("run", Map.of("command", "echo done"))));
    }

    @Test
    void steps_inCustomCommandStepsArguments_expandToo() {
        Object c = canonical("""
                jobs:
                  build:
                    steps:
                      - retry/with-retries:
                          steps: [checkout, {run: make}]
                          post-steps: [notify]
                          label: steps
                """);
        assertThat(at(c, "jobs", "build", "steps", 0, "retry/with-retries")).isEqualTo(Map.of(
                "steps", List.of(Map.of("checkout", Map.of()), Map.of("run", Map.of("command", "make"))),
                "post-steps", List.of(Map.of("notify", Map.of())),
                "label", "steps"));
    }

    @Test
    void workflowJobs_shorthandFormsExpand() {
        Object c = canonical("""
                workflows:
                  version: 2
                  main:
                    jobs:
                      - test
                      - lint:
                      - deploy:
                          requires: test
                          context: prod
                          filters:
                            branches: {only: master, ignore: [a, /b.*/]}
                            tags: {only: /v.*/}
                      - release:
                          filters: pipeline.git.branch == "main"
                """);
        assertThat(at(c, "workflows", "version")).isEqualTo(2L);
        assertThat(at(c, "workflows", "main", "jobs")).isEqualTo(List.of(
                Map.of("test", Map.of()),
                Map.of("lint", Map.of()),
                Map.of("deploy", Map.of("requires", List.of("test"), "context", List.of("prod"),
                        "filters", Map.of("branches", Map.of("only", List.of("master"), "ignore", List.of("a", "/b.*/")),
                                "tags", Map.of("only", List.of("/v.*/"))))),
                Map.of("release", Map.of("filters", "pipeline.git.branch == \"main\""))));
    }

    @Test
    void scheduleTriggerFilters_singlePatternBecomesList() {
        Object c = canonical("""
                workflows:
                  nightly:
                    triggers:
                      - schedule:
                          cron: "0 2 * * *"
                          filters: {branches: {only: master}}
                    jobs: [test]
                """);
        assertThat(at(c, "workflows", "nightly", "triggers", 0, "schedule", "filters"))
                .isEqualTo(Map.of("branches", Map.of("only", List.of("master"))));
    }

    @Test
    void environment_listOfOneKeyMapsBecomesOneMap_otherShapesKept() {
        Object c = canonical("""
                jobs:
                  a:
                    environment: [{A: 1}, {B: x}]
                    docker:
                      - image: cimg/base:current
                        environment: [{C: y}]
                    steps:
                      - run: {command: x, environment: [{D: z}]}
                  b:
                    environment: FOO=bar
                  c:
                    environment: [{A: 1}, {A: 2}]
                """);
        assertThat(at(c, "jobs", "a", "environment")).isEqualTo(Map.of("A", 1L, "B", "x"));
        assertThat(at(c, "jobs", "a", "docker", 0, "environment")).isEqualTo(Map.of("C", "y"));
        assertThat(at(c, "jobs", "a", "steps", 0, "run", "environment")).isEqualTo(Map.of("D", "z"));
        assertThat(at(c, "jobs", "b", "environment")).isEqualTo("FOO=bar");
        assertThat(at(c, "jobs", "c", "environment")).isEqualTo(List.of(Map.of("A", 1L), Map.of("A", 2L)));
    }

    @Test
    void inlineOrbs_canonicalLikeTheConfig() {
        Object c = canonical("""
                orbs:
                  aws: circleci/aws-cli@5.1
                  local:
                    commands:
                      hello:
                        steps: [checkout]
                """);
        assertThat(at(c, "orbs", "aws")).isEqualTo("circleci/aws-cli@5.1");
        assertThat(at(c, "orbs", "local", "commands", "hello", "steps")).isEqualTo(List.of(Map.of("checkout", Map.of())));
    }

    @Test
    void unknownKeysAndOddShapes_keptAsTheyAre() {
        Object c = canonical("""
                version: 2.1
                references:
                  x: &x {a: 1}
                notify: {webhooks: [{url: "https://example.invalid"}]}
                jobs:
                  nothing:
                  weird:
                    steps:
                      - {run: a, name: two keys}
                """);
        assertThat(at(c, "references")).isEqualTo(Map.of("x", Map.of("a", 1L)));
        assertThat(at(c, "notify")).isEqualTo(Map.of("webhooks", List.of(Map.of("url", "https://example.invalid"))));
        assertThat(((Map<?, ?>) at(c, "jobs")).containsKey("nothing")).isTrue();
        assertThat(at(c, "jobs", "nothing")).isNull();
        assertThat(at(c, "jobs", "weird", "steps", 0)).isEqualTo(Map.of("run", "a", "name", "two keys"));
    }

    @Test
    void canonical_isIdempotent() {
        Object once = canonical("""
                jobs:
                  a:
                    steps: [checkout, {run: make}, {when: {condition: true, steps: [x]}}]
                workflows:
                  w:
                    jobs: [a, {b: {requires: a, filters: {branches: {only: m}}}}]
                """);
        assertThat(Canonical.config(once)).isEqualTo(once);
    }
}
