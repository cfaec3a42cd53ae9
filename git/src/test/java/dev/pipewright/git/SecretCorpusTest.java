package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SecretCorpusTest {

    @Test
    void scan_generatedCorpus_precisionAndRecallAtLeast95Percent() {
        SecretCorpus.Corpus corpus = new SecretCorpus(20261126L).generate(600);
        SecretScanner scanner = SecretScanner.defaults();

        Set<SecretCorpus.Truth> expected = new HashSet<>(corpus.truths());
        Map<String, int[]> perRule = new TreeMap<>(); // tp, fn, fp
        int tp = 0;
        int fp = 0;
        StringBuilder misses = new StringBuilder();
        for (SecretCorpus.File file : corpus.files()) {
            for (SecretFinding f : scanner.scan(file.path(), file.content())) {
                SecretCorpus.Truth asTruth =
                        new SecretCorpus.Truth(f.file(), f.rule(), f.line(), f.column());
                if (expected.remove(asTruth)) {
                    tp++;
                    perRule.computeIfAbsent(f.rule(), k -> new int[3])[0]++;
                } else {
                    fp++;
                    perRule.computeIfAbsent(f.rule(), k -> new int[3])[2]++;
                    misses.append("FP ").append(f).append('\n');
                }
            }
        }
        for (SecretCorpus.Truth t : expected) {
            perRule.computeIfAbsent(t.ruleId(), k -> new int[3])[1]++;
            misses.append("FN ").append(t).append('\n');
        }
        int fn = expected.size();
        double recall = tp / (double) (tp + fn);
        double precision = tp / (double) (tp + fp);

        StringBuilder table = new StringBuilder(String.format(
                "%n%-32s %4s %4s %4s%n", "rule", "tp", "fn", "fp"));
        perRule.forEach((rule, c) ->
                table.append(String.format("%-32s %4d %4d %4d%n", rule, c[0], c[1], c[2])));
        table.append(String.format("files %d, secrets %d: recall %.3f, precision %.3f%n",
                corpus.files().size(), corpus.truths().size(), recall, precision));
        System.out.println(table);
        System.out.println(misses);

        assertThat(corpus.truths().stream().map(SecretCorpus.Truth::ruleId).distinct().count())
                .as("every rule is planted").isEqualTo(FakeSecrets.RULE_IDS.size());
        assertThat(recall).as("recall%s", misses).isGreaterThanOrEqualTo(0.95);
        assertThat(precision).as("precision%s", misses).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void generate_sameSeed_sameCorpus() {
        List<SecretCorpus.File> a = new SecretCorpus(7).generate(20).files();
        List<SecretCorpus.File> b = new SecretCorpus(7).generate(20).files();

        assertThat(a).isEqualTo(b);
    }
}
