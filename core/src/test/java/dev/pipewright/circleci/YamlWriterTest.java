package dev.pipewright.circleci;

import static dev.pipewright.circleci.YamlTrees.list;
import static dev.pipewright.circleci.YamlTrees.map;
import static dev.pipewright.circleci.YamlTrees.normalized;
import static dev.pipewright.circleci.YamlTrees.readCoreSchema;
import static dev.pipewright.circleci.YamlTrees.readJsonSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.math.BigInteger;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class YamlWriterTest {

    private static String write(Map<String, @Nullable Object> root) {
        return YamlWriter.write(root, List.of());
    }

    private static String writeValue(@Nullable Object value) {
        return write(map("k", value));
    }

    @Test
    void write_smallConfig_ordersKeysAtEveryLevel() {
        Map<String, @Nullable Object> config = map(
                "workflows", map(
                        "main", map(
                                "jobs", list(
                                        "lint",
                                        map("deploy", map(
                                                "my-arg", "x",
                                                "post-steps", list(map("run", "echo done")),
                                                "filters", map(
                                                        "tags", map("ignore", "/.*/"),
                                                        "branches", map(
                                                                "ignore", "/wip-.*/",
                                                                "only", list("main", "/release-.*/"))),
                                                "requires", list("test"),
                                                "context", "aws",
                                                "name", "deploy-prod"))),
                                "triggers", list(map("schedule", map(
                                        "filters", map("branches", map("only", "main")),
                                        "cron", "0 0 * * *"))),
                                "when", "<< pipeline.parameters.run >>"),
                        "version", 2L),
                "references", map("z", 1L, "a", 2L),
                "jobs", map(
                        "test", map(
                                "steps", list(
                                        "checkout",
                                        map("run", map("command", "make test", "name", "Test")),
                                        map("when", map(
                                                "steps", list(map("run", "echo hi")),
                                                "condition", "<< parameters.deploy >>")),
                                        map("save_cache", map(
                                                "paths", list("~/.m2"),
                                                "key", "m2-{{ checksum \"pom.xml\" }}")),
                                        map("my-orb/cmd", map("zeta", 1L, "alpha", 2L))),
                                "docker", list(map(
                                        "environment", map("B", "1", "A", "2"),
                                        "image", "cimg/openjdk:17.0")),
                                "parameters", map("deploy", map("default", false, "type", "boolean")),
                                "resource_class", "large")),
                "parameters", map("run", map("default", true, "description", "Run it", "type", "boolean")),
                "version", 2.1);

        assertThat(write(config)).isEqualTo("""
                version: 2.1
                parameters:
                  run:
                    type: boolean
                    description: Run it
                    default: true
                jobs:
                  test:
                    parameters:
                      deploy:
                        type: boolean
                        default: false
                    docker:
                      - image: cimg/openjdk:17.0
                        environment:
                          B: "1"
                          A: "2"
                    resource_class: large
                    steps:
                      - checkout
                      - run:
                          name: Test
                          command: make test
                      - when:
                          condition: << parameters.deploy >>
                          steps:
                            - run: echo hi
                      - save_cache:
                          key: m2-{{ checksum "pom.xml" }}
                          paths:
                            - ~/.m2
                      - my-orb/cmd:
                          zeta: 1
                          alpha: 2
                workflows:
                  version: 2
                  main:
                    when: << pipeline.parameters.run >>
                    triggers:
                      - schedule:
                          cron: 0 0 * * *
                          filters:
                            branches:
                              only: main
                    jobs:
                      - lint
                      - deploy:
                          name: deploy-prod
                          context: aws
                          requires:
                            - test
                          filters:
                            branches:
                              only:
                                - main
                                - /release-.*/
                              ignore: /wip-.*/
                            tags:
                              ignore: /.*/
                          post-steps:
                            - run: echo done
                          my-arg: x
                references:
                  z: 1
                  a: 2
                """);
        assertThat(normalized(readCoreSchema(write(config)))).isEqualTo(normalized(config));
    }

    @Test
    void write_orbsExecutorsCommands_ordersKeysAtEveryLevel() {
        Map<String, @Nullable Object> config = map(
                "commands", map("greet", map(
                        "steps", list(map("run", "echo")),
                        "parameters", map("to", map("default", "world", "type", "string")),
                        "description", "Says hi")),
                "executors", map("java", map(
                        "resource_class", "small",
                        "machine", map("docker_layer_caching", true, "image", "ubuntu-2204:current"),
                        "description", "d")),
                "orbs", map(
                        "node", "circleci/node@5.1",
                        "local", map(
                                "jobs", map("j", map(
                                        "steps", list("checkout"),
                                        "docker", list(map("image", "img")))),
                                "description", "inline")),
                "setup", true);

        assertThat(write(config)).isEqualTo("""
                setup: true
                orbs:
                  node: circleci/node@5.1
                  local:
                    description: inline
                    jobs:
                      j:
                        docker:
                          - image: img
                        steps:
                          - checkout
                executors:
                  java:
                    description: d
                    machine:
                      image: ubuntu-2204:current
                      docker_layer_caching: true
                    resource_class: small
                commands:
                  greet:
                    description: Says hi
                    parameters:
                      to:
                        type: string
                        default: world
                    steps:
                      - run: echo
                """);
    }

    @Test
    void write_nestedConditionalSteps_ordersEachStepBody() {
        Map<String, @Nullable Object> config = map("commands", map("c", map("steps", list(
                map("unless", map(
                        "steps", list(map("when", map(
                                "steps", list(map("checkout", map("depth", 1L, "path", "src"))),
                                "condition", "b"))),
                        "condition", "a")),
                map("my-orb/with-cache", map(
                        "steps", list(map("run", map("command", "x", "name", "nm"))),
                        "key", "k"))))));

        assertThat(write(config)).isEqualTo("""
                commands:
                  c:
                    steps:
                      - unless:
                          condition: a
                          steps:
                            - when:
                                condition: b
                                steps:
                                  - checkout:
                                      path: src
                                      depth: 1
                      - my-orb/with-cache:
                          steps:
                            - run:
                                name: nm
                                command: x
                          key: k
                """);
    }

    @Test
    void write_workflowJobEntry_ordersKnownKeysThenArguments() {
        Map<String, @Nullable Object> entry = map("build", map(
                "zeta-arg", 1L,
                "post-steps", list(),
                "pre-steps", list(),
                "override-with", "o",
                "serial-group", "g",
                "matrix", map("alias", "a", "exclude", list(), "parameters", map("v", list(1L, 2L))),
                "filters", map(),
                "requires", list("x"),
                "context", list("c"),
                "type", "approval",
                "name", "nm",
                "alpha-arg", 2L));
        Map<String, @Nullable Object> config = map("workflows", map("w", map(
                "jobs", list(entry),
                "max_auto_reruns", 2L,
                "unless", false,
                "when", true)));

        assertThat(write(config)).isEqualTo("""
                workflows:
                  w:
                    when: true
                    unless: false
                    max_auto_reruns: 2
                    jobs:
                      - build:
                          name: nm
                          type: approval
                          context:
                            - c
                          requires:
                            - x
                          filters: {}
                          matrix:
                            parameters:
                              v:
                                - 1
                                - 2
                            exclude: []
                            alias: a
                          serial-group: g
                          override-with: o
                          pre-steps: []
                          post-steps: []
                          zeta-arg: 1
                          alpha-arg: 2
                """);
    }

    @Test
    void write_stepBodies_followTheDocumentedOrder() {
        Map<String, @Nullable Object> config = map("jobs", map("j", map("steps", list(
                map("run", map("auto_rerun_delay", "1m", "max_auto_reruns", 3L, "when", "always",
                        "no_output_timeout", "10m", "background", false, "working_directory", "w",
                        "environment", map("A", "b"), "shell", "bash", "command", "c", "name", "nm")),
                map("restore_cache", map("keys", list("a"), "key", "k", "name", "nm")),
                map("store_artifacts", map("destination", "d", "path", "p", "name", "nm")),
                map("store_test_results", map("path", "p", "name", "nm")),
                map("persist_to_workspace", map("paths", list("."), "root", "r", "name", "nm")),
                map("attach_workspace", map("at", "a", "name", "nm")),
                map("add_ssh_keys", map("fingerprints", list("f"), "name", "nm")),
                map("setup_remote_docker", map("docker_layer_caching", true, "version", "v")),
                map("deploy", map("command", "c", "name", "nm"))))));

        assertThat(write(config)).isEqualTo("""
                jobs:
                  j:
                    steps:
                      - run:
                          name: nm
                          command: c
                          shell: bash
                          environment:
                            A: b
                          working_directory: w
                          background: false
                          no_output_timeout: 10m
                          when: always
                          max_auto_reruns: 3
                          auto_rerun_delay: 1m
                      - restore_cache:
                          name: nm
                          key: k
                          keys:
                            - a
                      - store_artifacts:
                          name: nm
                          path: p
                          destination: d
                      - store_test_results:
                          name: nm
                          path: p
                      - persist_to_workspace:
                          name: nm
                          root: r
                          paths:
                            - "."
                      - attach_workspace:
                          name: nm
                          at: a
                      - add_ssh_keys:
                          name: nm
                          fingerprints:
                            - f
                      - setup_remote_docker:
                          version: v
                          docker_layer_caching: true
                      - deploy:
                          name: nm
                          command: c
                """);
    }

    @Test
    void write_knownKeyUnderUnknownKey_keepsInputOrder() {
        assertThat(write(map("references", map("job", map("steps", list(), "docker", list())))))
                .isEqualTo("""
                        references:
                          job:
                            steps: []
                            docker: []
                        """);
    }

    @Test
    void write_literalBlockScalars_chompByTrailingNewlines() {
        Map<String, @Nullable Object> config = map(
                "strip", "make\nmake test",
                "clip", "make\nmake test\n",
                "keep", "make\n\n",
                "blank", "a\n\n  b\n",
                "leading", "\nx");

        assertThat(write(config)).isEqualTo("""
                strip: |-
                  make
                  make test
                clip: |
                  make
                  make test
                keep: |+
                  make

                blank: |
                  a

                    b
                leading: |-

                  x
                """);
    }

    @Test
    void write_literalStartingWithSpace_addsIndentationIndicator() {
        assertThat(writeValue("  indented\nnot")).isEqualTo("k: |2-\n    indented\n  not\n");
        assertThat(writeValue("\tx\ny\n")).isEqualTo("k: |2\n  \tx\n  y\n");
        assertThat(readCoreSchema(writeValue("  indented\nnot"))).isEqualTo(map("k", "  indented\nnot"));
        assertThat(readCoreSchema(writeValue("\tx\ny\n"))).isEqualTo(map("k", "\tx\ny\n"));
    }

    @Test
    void write_literalInStepsAndLists_isIndentedUnderItsKey() {
        Map<String, @Nullable Object> config = map("jobs", map("j", map("steps", list(
                map("run", "set -e\nmake\n"),
                map("run", map("name", "nm", "command", "a\nb")))),
                "list", list("x\ny", list("p\nq\n"))));

        assertThat(write(config)).isEqualTo("""
                jobs:
                  j:
                    steps:
                      - run: |
                          set -e
                          make
                      - run:
                          name: nm
                          command: |-
                            a
                            b
                  list:
                    - |-
                      x
                      y
                    - - |
                        p
                        q
                """);
        assertThat(normalized(readCoreSchema(write(config)))).isEqualTo(normalized(config));
    }

    static Stream<Arguments> multiLineStringsThatBlockScalarsCannotHold() {
        return Stream.of(
                Arguments.of("trailing \nspace", "\"trailing \\nspace\""),
                Arguments.of("trailing\t\ntab", "\"trailing\\t\\ntab\""),
                Arguments.of("last line \n", "\"last line \\n\""),
                Arguments.of("windows\r\nlines", "\"windows\\r\\nlines\""),
                Arguments.of("bell\u0007\nx", "\"bell\\u0007\\nx\""),
                Arguments.of("nel\u0085\nx", "\"nel\\u0085\\nx\""),
                Arguments.of("\n", "\"\\n\""),
                Arguments.of("\n\n", "\"\\n\\n\""));
    }

    @ParameterizedTest
    @MethodSource("multiLineStringsThatBlockScalarsCannotHold")
    void write_multiLineStringBlockCannotHold_isDoubleQuoted(String value, String expected) {
        assertThat(writeValue(value)).isEqualTo("k: " + expected + "\n");
        assertThat(readCoreSchema(writeValue(value))).isEqualTo(map("k", value));
    }

    static Stream<Arguments> stringsNeedingQuotes() {
        return Stream.of(
                // empty, null and booleans in YAML 1.1 and 1.2
                "", "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "FALSE",
                "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
                "y", "Y", "n", "N", "<<", "=",
                // numbers in either version, dates in YAML 1.1
                "0", "42", "+7", "-12", "0755", "0o17", "0x1F", "0X1f", "0b101", "1e3", "1E+3",
                "3.14", ".5", "1.", "e9", "E+7", "1_000", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "1:30",
                "190:20:30.15", "1.2.3", ".", "2024-01-31", "2001-12-14t21:59:43.10-05:00",
                // whitespace, indicators, comments, mapping values
                " x", "x ", "\tx", "x\t", "\u00a0x", "-", "- x", "-x", "--verbose", "---", "...",
                "...x", "?", "?x", ":", ":x", ",x", "[x]", "]", "{x}", "}", "#x", "&x", "*x",
                "!x", "|x", ">x", "'x'", "\"x\"", "%x", "@x", "`x", "a: b", "a #b", "x:",
                "tab\tinside", "bell\u0007", "del\u007f", "nel\u0085", "ls\u2028", "bom\ufeff")
                .map(s -> Arguments.of(s));
    }

    @ParameterizedTest
    @MethodSource("stringsNeedingQuotes")
    void write_ambiguousString_isDoubleQuotedAndReadsBack(String value) {
        String yaml = writeValue(value);

        assertThat(yaml).startsWith("k: \"");
        assertThat(YamlWriter.canBePlain(value)).isFalse();
        assertThat(readCoreSchema(yaml)).isEqualTo(map("k", value));
        assertThat(readJsonSchema(yaml)).isEqualTo(map("k", value));
    }

    @Test
    void write_quotedStrings_useDoubleQuoteEscapes() {
        assertThat(writeValue("")).isEqualTo("k: \"\"\n");
        assertThat(writeValue("yes")).isEqualTo("k: \"yes\"\n");
        assertThat(writeValue("0755")).isEqualTo("k: \"0755\"\n");
        assertThat(writeValue(" x")).isEqualTo("k: \" x\"\n");
        assertThat(writeValue("a: b")).isEqualTo("k: \"a: b\"\n");
        assertThat(writeValue("#x")).isEqualTo("k: \"#x\"\n");
        assertThat(writeValue("say \"hi\"\t\\")).isEqualTo("k: \"say \\\"hi\\\"\\t\\\\\"\n");
        assertThat(writeValue("\u0000\u001b\u2029\ufeff")).isEqualTo("k: \"\\u0000\\u001B\\u2029\\uFEFF\"\n");
        assertThat(writeValue("x\r")).isEqualTo("k: \"x\\r\"\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<< parameters.x >>", "<< pipeline.git.branch >>", "a:b", "a#b", "http://x.y/z?q=1#f",
        "cimg/node:18.17-browsers", "1.2.3-beta", "0 0 * * *", "v1", "yes please", "~/.m2",
        "ünïcödé", "漢字", "😀", "x,y", "a - b", "a [b] {c}", "it's", "say \"hi\"", "a\u00a0#b",
        "nul", "Yess", "back\\slash", "0xZ", "1e", "12:345x", "make && make test"})
    void write_unambiguousString_staysPlainAndReadsBack(String value) {
        String yaml = writeValue(value);

        assertThat(yaml).isEqualTo("k: " + value + "\n");
        assertThat(readCoreSchema(yaml)).isEqualTo(map("k", value));
        assertThat(readJsonSchema(yaml)).isEqualTo(map("k", value));
    }

    @Test
    void write_keysNeedingQuotes_areDoubleQuoted() {
        Map<String, @Nullable Object> config = map(
                "<<", "merge", "yes", 1L, "1", 2L, "a: b", 3L, "", 4L, "multi\nline", 5L,
                "- x", 6L, "<< parameters.k >>", 7L);

        assertThat(write(config)).isEqualTo("""
                "<<": merge
                "yes": 1
                "1": 2
                "a: b": 3
                "": 4
                "multi\\nline": 5
                "- x": 6
                << parameters.k >>: 7
                """);
        assertThat(readCoreSchema(write(config))).isEqualTo(normalizedLongs(config));
    }

    @Test
    void write_keyLongerThanAnImplicitKey_isExplicit() {
        String longKey = "k".repeat(1500);
        Map<String, @Nullable Object> config = map("a", list(map(longKey, map("x", "why"), "b", "c")),
                longKey + "!", "v");

        String yaml = write(config);

        assertThat(yaml).isEqualTo("a:\n  - ? " + longKey + "\n    :\n      x: why\n    b: c\n"
                + "? " + longKey + "!\n: v\n");
        assertThat(readCoreSchema(yaml)).isEqualTo(config);
    }

    @Test
    void write_emptyCollections_areFlowStyle() {
        assertThat(write(map())).isEqualTo("{}\n");
        assertThat(write(map("m", map(), "l", list(), "items", list(map(), list(), null))))
                .isEqualTo("""
                        m: {}
                        l: []
                        items:
                          - {}
                          - []
                          - null
                        """);
    }

    @Test
    void write_nestedLists_startOnTheDashLine() {
        assertThat(write(map("l", list(list("a", list("b")), map("k", list("v"), "j", "w")))))
                .isEqualTo("""
                        l:
                          - - a
                            - - b
                          - k:
                              - v
                            j: w
                        """);
    }

    @Test
    void write_nonStringScalars_useYamlForms() {
        Map<String, @Nullable Object> config = map(
                "long", Long.MIN_VALUE, "int", 7, "big", BigInteger.TWO.pow(70), "bool", false,
                "null", null, "float", 2.1, "whole", 100.0, "large", 1.0e10, "small", 1.0e-5,
                "negativeZero", -0.0, "nan", Double.NaN, "inf", Double.POSITIVE_INFINITY,
                "minusInf", Double.NEGATIVE_INFINITY, "max", Double.MAX_VALUE);

        String yaml = write(config);

        assertThat(yaml).isEqualTo("""
                long: -9223372036854775808
                int: 7
                big: 1180591620717411303424
                bool: false
                "null": null
                float: 2.1
                whole: 100.0
                large: 1.0e+10
                small: 1.0e-5
                negativeZero: -0.0
                nan: .nan
                inf: .inf
                minusInf: -.inf
                max: 1.7976931348623157e+308
                """);
        assertThat(normalized(readCoreSchema(yaml))).isEqualTo(normalized(config));
        assertThat(normalized(readJsonSchema(yaml))).isEqualTo(normalized(config));
    }

    @Test
    void write_headerComment_comesFirstThenABlankLine() {
        assertThat(YamlWriter.write(map("version", 2.1), List.of("Generated by Pipewright.", "", "Do not edit.")))
                .isEqualTo("""
                        # Generated by Pipewright.
                        #
                        # Do not edit.

                        version: 2.1
                        """);
    }

    @Test
    void write_headerLineWithLineBreak_isRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> YamlWriter.write(map(), List.of("one\ntwo")))
                .withMessageContaining("\"one\\ntwo\"")
                .withMessageContaining("one line per element");
    }

    @Test
    void write_unsupportedValue_namesItsPath() {
        Map<String, @Nullable Object> config = map("jobs", map("build", map("steps", list("checkout", map("run", new Date(0L))))));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> write(config))
                .withMessage("cannot write java.util.Date at jobs.build.steps[1].run: a YAML data tree"
                        + " holds only Map, List, String, Long, BigInteger, Double, Boolean and null;"
                        + " convert the value first");
    }

    @Test
    void write_nonStringKey_namesItsPath() {
        Map<Object, Object> inner = new LinkedHashMap<>();
        inner.put(1, "x");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> write(map("a", list(inner))))
                .withMessage("cannot write key 1 (java.lang.Integer) at a[0]: YAML data tree keys must be Strings");
    }

    @Test
    void write_nulls_areRejected() {
        assertThatNullPointerException().isThrownBy(() -> YamlWriter.write(null, List.of())).withMessage("root");
        assertThatNullPointerException().isThrownBy(() -> YamlWriter.write(map(), null)).withMessage("headerComment");
    }

    @Test
    void write_sameTreeTwice_givesIdenticalText() {
        Map<String, @Nullable Object> config = map("version", 2.1, "jobs", Map.of("a", Map.of("steps", List.of("checkout"))));

        assertThat(write(config)).isEqualTo(write(config)).isEqualTo("""
                version: 2.1
                jobs:
                  a:
                    steps:
                      - checkout
                """);
    }

    private static Map<String, @Nullable Object> normalizedLongs(Map<String, @Nullable Object> tree) {
        Map<String, @Nullable Object> copy = new LinkedHashMap<>();
        tree.forEach((k, v) -> copy.put(k, v instanceof Long l ? Integer.valueOf(l.intValue()) : v));
        return copy;
    }

    @Test
    void write_stepsAndWorkflowJobsWithoutOptions_areBareNames() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("jobs", Map.of("build", Map.of("steps", List.of(Map.of("checkout", Map.of()),
                Map.of("run", Map.of("command", "make")), "<< parameters.steps >>", Map.of("my-command", Map.of())))));
        tree.put("workflows", Map.of("main", Map.of("jobs", List.of(Map.of("build", Map.of()),
                Map.of("deploy", Map.of("requires", List.of("build")))))));
        tree.put("other", List.of(Map.of("kept", Map.of())));

        assertThat(YamlWriter.write(tree, List.of())).isEqualTo("""
                jobs:
                  build:
                    steps:
                      - checkout
                      - run: make
                      - << parameters.steps >>
                      - my-command
                workflows:
                  main:
                    jobs:
                      - build
                      - deploy:
                          requires:
                            - build
                other:
                  - kept: {}
                """);
    }
}
