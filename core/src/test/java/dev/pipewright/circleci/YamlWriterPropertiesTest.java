package dev.pipewright.circleci;

import static dev.pipewright.circleci.YamlTrees.asTree;
import static dev.pipewright.circleci.YamlTrees.map;
import static dev.pipewright.circleci.YamlTrees.normalized;
import static dev.pipewright.circleci.YamlTrees.readCoreSchema;
import static dev.pipewright.circleci.YamlTrees.readJsonSchema;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.jspecify.annotations.Nullable;

class YamlWriterPropertiesTest {

    /** YAML 1.1 implicit types, transcribed from the type definitions at https://yaml.org/type/. */
    private static final List<Pattern> YAML_11_SCALARS = Stream.of(
            // bool
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
            // null
            "~|null|Null|NULL|",
            // int: base 2, 8, 10, 16, 60
            "[-+]?0b[0-1_]+",
            "[-+]?0[0-7_]+",
            "[-+]?(0|[1-9][0-9_]*)",
            "[-+]?0x[0-9a-fA-F_]+",
            "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
            // float: base 10, base 60, infinity, not a number
            "[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?",
            "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*",
            "[-+]?\\.(inf|Inf|INF)",
            "\\.(nan|NaN|NAN)",
            // merge, value
            "<<",
            "=",
            // timestamp
            "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]",
            "[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
                    + "(\\.[0-9]*)?(([ \\t]*)Z|[-+][0-9][0-9]?(:[0-9][0-9])?)?")
            .map(Pattern::compile)
            .toList();

    /** YAML 1.2 core schema, from section 10.3.2 of the 1.2.2 specification. */
    private static final List<Pattern> YAML_12_CORE_SCALARS = Stream.of(
            "null|Null|NULL|~|",
            "true|True|TRUE|false|False|FALSE",
            "[-+]?[0-9]+",
            "0o[0-7]+",
            "0x[0-9a-fA-F]+",
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?",
            "[-+]?(\\.inf|\\.Inf|\\.INF)",
            "\\.nan|\\.NaN|\\.NAN")
            .map(Pattern::compile)
            .toList();

    private static final List<String> WORDS = List.of(
            "yes", "Yes", "No", "ON", "off", "y", "N", "true", "False", "null", "NULL", "~", "<<", "=",
            "0755", "0o17", "0x1F", "0b101", "1e3", ".5", "1_000", ".inf", "-.Inf", ".NaN", "1:30",
            "2024-01-31", "1.2.3", "3.14", "-12", "+7", "...", "---", "<< parameters.x >>",
            ": ", " #", "  ", "- ", "? ", "run", "checkout", "name", "command");

    private static final List<String> CHARACTERS = List.of(
            " ", " ", "\t", "\n", "\n", "\r", ":", "#", "'", "\"", "\\", "-", "?", ",", "[", "]", "{",
            "}", "&", "*", "!", "|", ">", "%", "@", "`", "~", "<", "=", ".", "_", "+", "a", "b", "x",
            "Z", "0", "1", "7", "9", "e", "é", "漢", "😀", "\u00a0", "\u0085", "\u2028", "\ufeff",
            "\u0000", "\u0007", "\u001b", "\u007f");

    /** Keys CircleCI orders, so that generated trees exercise the reordering too. */
    private static final List<String> CIRCLECI_KEYS = List.of(
            "version", "setup", "parameters", "orbs", "executors", "commands", "jobs", "workflows",
            "steps", "docker", "machine", "image", "run", "checkout", "when", "unless", "condition",
            "name", "command", "type", "default", "filters", "branches", "tags", "only", "ignore",
            "requires", "context", "matrix", "pre-steps", "post-steps", "triggers", "schedule", "cron");

    @Property(tries = 1000)
    void write_thenRead_givesTheSameTree(@ForAll("trees") Map<String, @Nullable Object> tree) {
        String yaml = YamlWriter.write(tree, List.of("header # with: yes"));

        // The writer uses CircleCI's short forms where a tree holds steps, so compare canonical forms.
        assertThat(normalized(Canonical.config(readJsonSchema(yaml)))).isEqualTo(normalized(Canonical.config(tree)));
        assertThat(normalized(Canonical.config(readCoreSchema(yaml)))).isEqualTo(normalized(Canonical.config(tree)));
    }

    @Property(tries = 250)
    void write_ofWhatWasRead_isByteIdentical(@ForAll("trees") Map<String, @Nullable Object> tree) {
        String yaml = YamlWriter.write(tree, List.of());

        assertThat(YamlWriter.write(asTree(readCoreSchema(yaml)), List.of())).isEqualTo(yaml);
    }

    @Property(tries = 2000)
    void write_string_readsBackAsKeyAndValue(@ForAll("strings") String text) {
        String yaml = YamlWriter.write(map(text, text, "next", YamlTrees.list(text, "after")), List.of());

        Map<String, @Nullable Object> expected = new LinkedHashMap<>();
        expected.put(text, text);
        expected.put("next", List.of(text, "after"));
        assertThat(readJsonSchema(yaml)).isEqualTo(expected);
        assertThat(readCoreSchema(yaml)).isEqualTo(expected);
    }

    @Property(tries = 3000)
    void canBePlain_neverHoldsAYaml11OrYaml12CoreScalar(@ForAll("numberLikeOrStrings") String text) {
        String yaml = YamlWriter.write(map("k", text), List.of());

        if (YamlWriter.canBePlain(text)) {
            assertThat(yaml).isEqualTo("k: " + text + "\n");
            assertThat(YAML_11_SCALARS).noneMatch(p -> p.matcher(text).matches());
            assertThat(YAML_12_CORE_SCALARS).noneMatch(p -> p.matcher(text).matches());
        } else {
            assertThat(yaml.charAt(3)).isIn('"', '|');
        }
    }

    @Property(tries = 500)
    void write_double_readsBackAsTheSameDouble(@ForAll("doubles") double value) {
        String yaml = YamlWriter.write(map("d", value), List.of());

        assertThat(readCoreSchema(yaml)).isEqualTo(map("d", value));
        assertThat(readJsonSchema(yaml)).isEqualTo(map("d", value));
        String text = YamlWriter.formatDouble(value);
        assertThat(YAML_11_SCALARS).anyMatch(p -> p.matcher(text).matches());
    }

    @Provide
    Arbitrary<Map<String, @Nullable Object>> trees() {
        return maps(Arbitraries.recursive(this::scalars, this::containers, 0, 4));
    }

    private Arbitrary<@Nullable Object> containers(Arbitrary<@Nullable Object> inner) {
        return Arbitraries.oneOf(maps(inner), inner.list().ofMaxSize(4));
    }

    private Arbitrary<Map<String, @Nullable Object>> maps(Arbitrary<@Nullable Object> values) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(CIRCLECI_KEYS), strings());
        return Arbitraries.entries(keys, values).list().ofMaxSize(4).uniqueElements(Map.Entry::getKey)
                .map(entries -> {
                    Map<String, @Nullable Object> map = new LinkedHashMap<>();
                    entries.forEach(e -> map.put(e.getKey(), e.getValue()));
                    return map;
                });
    }

    private Arbitrary<@Nullable Object> scalars() {
        return Arbitraries.<@Nullable Object>frequencyOf(
                        Tuple.of(6, strings()),
                        Tuple.of(1, Arbitraries.longs()),
                        Tuple.of(1, Arbitraries.longs().map(l -> BigInteger.valueOf(l).shiftLeft(64))),
                        Tuple.of(1, doubles()),
                        Tuple.of(1, Arbitraries.of(true, false)))
                .injectNull(0.05);
    }

    @Provide
    Arbitrary<String> strings() {
        Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.of(CHARACTERS), Arbitraries.of(WORDS));
        return Arbitraries.frequencyOf(
                Tuple.of(4, pieces.list().ofMaxSize(8).map(list -> String.join("", list))),
                Tuple.of(1, Arbitraries.of(WORDS)));
    }

    @Provide
    Arbitrary<String> numberLikeOrStrings() {
        Arbitrary<String> numberLike = Arbitraries.strings().withChars("0123456789._:+-eExXoObBaAfFtT ")
                .ofMinLength(1).ofMaxLength(10);
        return Arbitraries.oneOf(numberLike, strings());
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.of(0.0, -0.0, 2.1, 1.0e10, 1.0e-5, Double.MIN_VALUE, Double.MAX_VALUE,
                        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }
}
