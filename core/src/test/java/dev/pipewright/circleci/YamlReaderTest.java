package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.pipewright.circleci.YamlReader.Document;
import dev.pipewright.circleci.YamlReader.Position;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class YamlReaderTest {

    private static Object read(String yaml) {
        return YamlReader.read(yaml, "config.yml").root();
    }

    private static ConfigProblem problem(String yaml) {
        return problem(yaml, YamlReader.DEFAULT_LIMITS);
    }

    private static ConfigProblem problem(String yaml, YamlReader.Limits limits) {
        InvalidConfigException e = assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> YamlReader.read(yaml, "config.yml", limits)).actual();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void read_scalars_resolvedWithYaml12CoreSchema() {
        Object root = read("""
                a: 1
                b: 2.1
                c: true
                d: yes
                e: ~
                f: "1"
                g: 0o17
                h: 0x1F
                i: 123456789012345678901234567890
                j: .inf
                k: on
                l: 0755
                """);
        assertThat(root).isEqualTo(java.util.stream.Stream.of(new Object[][] {
            {"a", 1L}, {"b", 2.1}, {"c", true}, {"d", "yes"}, {"e", null}, {"f", "1"}, {"g", 15L}, {"h", 31L},
            {"i", new BigInteger("123456789012345678901234567890")}, {"j", Double.POSITIVE_INFINITY}, {"k", "on"},
            {"l", 755L}}).collect(java.util.LinkedHashMap::new, (m, e) -> m.put(e[0], e[1]), Map::putAll));
    }

    @Test
    void read_keepsKeyOrder() {
        Map<?, ?> root = (Map<?, ?>) read("z: 1\na: 2\nm: 3\n");
        assertThat(List.copyOf(root.keySet())).isEqualTo(List.of("z", "a", "m"));
    }

    @Test
    void read_mergeKey_explicitKeysWinWhereverTheyStand() {
        Object root = read("""
                base: &base {image: a, user: root}
                job:
                  <<: *base
                  image: b
                """);
        assertThat(((Map<?, ?>) root).get("job")).isEqualTo(Map.of("image", "b", "user", "root"));
    }

    @Test
    void read_mergeKeyList_earlierSourcesWin() {
        Object root = read("""
                a: &a {x: 1, y: 1}
                b: &b {y: 2, z: 2}
                c:
                  <<: [*a, *b]
                """);
        assertThat(((Map<?, ?>) root).get("c")).isEqualTo(Map.of("x", 1L, "y", 1L, "z", 2L));
    }

    @Test
    void read_repeatedMergeKeys_allMerged() {
        Object root = read("""
                a: &a {x: 1}
                b: &b {y: 2}
                c:
                  <<: *a
                  <<: *b
                  z: 3
                """);
        assertThat(((Map<?, ?>) root).get("c")).isEqualTo(Map.of("x", 1L, "y", 2L, "z", 3L));
    }

    @Test
    void read_anchorDefinedTwice_laterDefinitionWins() {
        Object root = read("""
                a: &x 1
                b: *x
                c: &x 2
                d: *x
                """);
        assertThat(root).isEqualTo(Map.of("a", 1L, "b", 1L, "c", 2L, "d", 2L));
    }

    @Test
    void read_crlfAndTabsInPlainScalars() {
        Object root = read("a: one\ttwo\r\nb: |\r\n  x\r\n  y\r\n");
        assertThat(root).isEqualTo(Map.of("a", "one\ttwo", "b", "x\ny\n"));
    }

    @Test
    void read_recordsPositionsByPath() {
        Document d = YamlReader.read("""
                jobs:
                  build:
                    steps:
                      - checkout
                      - run: make
                """, "config.yml");
        assertThat(d.positions()).containsEntry("jobs.build.steps[1]", new Position(5, 9))
                .containsEntry("jobs.build.steps[1].run", new Position(5, 9));
        assertThat(d.positionOf("jobs.build.steps[1].run.command")).isEqualTo(new Position(5, 9));
    }

    @Test
    void read_duplicateKey_namesBothPositions() {
        ConfigProblem p = problem("jobs:\n  a: 1\n  a: 2\n");
        assertThat(p.toString()).isEqualTo(
                "config.yml:3:3: jobs.a: duplicate key 'a' (first at line 2, column 3). Keep one of them.");
    }

    @Test
    void read_syntaxError_positioned() {
        ConfigProblem p = problem("jobs:\n  build:\n    steps: [a, b\n");
        assertThat(p.line()).isGreaterThan(0);
        assertThat(p.message()).startsWith("invalid YAML: ");
    }

    @Test
    void read_undefinedAlias_positioned() {
        ConfigProblem p = problem("a: 1\nb: *nope\n");
        assertThat(p.toString()).isEqualTo("config.yml:2:4: b: alias *nope names no anchor defined before it.");
    }

    @Test
    void read_twoDocuments_rejected() {
        assertThat(problem("a: 1\n---\nb: 2\n").message()).contains("more than one YAML document");
    }

    @Test
    void read_empty_rejected() {
        assertThat(problem("# nothing\n").message()).isEqualTo("the file holds no YAML document.");
    }

    @Test
    void read_nonScalarKey_rejected() {
        assertThat(problem("? [a]\n: 1\n").message()).isEqualTo("a mapping key must be a plain value, not a sequence.");
    }

    @Test
    @Timeout(10)
    void read_aliasBomb_boundedWithClearError() {
        StringBuilder b = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            b.append("]\n");
        }
        ConfigProblem p = problem(b.toString());
        assertThat(p.message()).contains("expands to more than 5000000 values").contains("alias bomb");
        assertThat(p.line()).isGreaterThan(0);
    }

    @Test
    @Timeout(10)
    void read_deepNesting_boundedWithClearError() {
        String deep = "a: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
        ConfigProblem p = problem(deep);
        assertThat(p.message()).isEqualTo("nesting is deeper than 200 levels.");
    }

    @Test
    void read_hugeDocument_rejectedBeforeParsing() {
        ConfigProblem p = problem("a: " + "x".repeat(2000) + "\n", new YamlReader.Limits(200, 1000, 1000));
        assertThat(p.message()).startsWith("the file holds 2004 characters; the limit is 1000.");
        assertThat(p.line()).isZero();
    }

    @Test
    void read_sharedAliasData_isTheSameValueInBothPlaces() {
        Map<?, ?> root = (Map<?, ?>) read("a: &s [1, 2]\nb: *s\n");
        assertThat(root.get("b")).isEqualTo(List.of(1L, 2L)).isSameAs(root.get("a"));
    }

    @Test
    void positionOf_keysWithDotsAndBrackets_andUnknownPaths_fallBackToTheNearestAncestor() {
        Document d = YamlReader.read("""
                jobs:
                  build.v2:
                    steps:
                      - run: make
                  "odd[0]":
                    x: 1
                """, "config.yml");
        assertThat(d.positionOf("jobs.build.v2.steps[0].run")).isEqualTo(new Position(4, 9));
        assertThat(d.positionOf("jobs.odd[0].x")).isEqualTo(new Position(6, 5));
        assertThat(d.positionOf("jobs.build.v2.steps[7]")).isEqualTo(new Position(3, 5));
        assertThat(d.positionOf("jobs.nope.deeper")).isEqualTo(new Position(1, 1));
        assertThat(d.positionOf("")).isEqualTo(new Position(1, 1));
    }
}
