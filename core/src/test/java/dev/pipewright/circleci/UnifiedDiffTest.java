package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    @Test
    void equalTexts_noDiff() {
        assertThat(UnifiedDiff.of("a", "x\ny\n", "b", "x\ny\n")).isEmpty();
    }

    @Test
    void oneChangedLine_hunkWithThreeLinesOfContext() {
        String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        String b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assertThat(UnifiedDiff.of("committed", a, "generated", b)).isEqualTo("""
                --- committed
                +++ generated
                @@ -2,7 +2,7 @@
                 2
                 3
                 4
                -5
                +five
                 6
                 7
                 8
                """);
    }

    @Test
    void distantChanges_twoHunks_closeChanges_oneHunk() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            lines.add(String.valueOf(i));
        }
        String a = String.join("\n", lines) + "\n";
        String twoHunks = a.replace("\n3\n", "\nthree\n").replace("\n25\n", "\ntwenty-five\n");
        assertThat(UnifiedDiff.of("a", a, "b", twoHunks)).contains("@@ -1,6 +1,6 @@").contains("@@ -22,7 +22,7 @@");
        String oneHunk = a.replace("\n3\n", "\nthree\n").replace("\n9\n", "\nnine\n");
        assertThat(UnifiedDiff.of("a", a, "b", oneHunk)).contains("@@ -1,12 +1,12 @@").doesNotContain("@@ -6");
    }

    @Test
    void insertionIntoEmpty_andDeletionOfAll() {
        assertThat(UnifiedDiff.of("a", "", "b", "x\n")).isEqualTo("--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
        assertThat(UnifiedDiff.of("a", "x\ny\n", "b", "")).isEqualTo("--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n");
    }

    @Property(tries = 300)
    void applyingTheDiffToTheFirstGivesTheSecond(@ForAll @Size(max = 25) List<@IntRange(max = 4) Integer> a,
            @ForAll @Size(max = 25) List<@IntRange(max = 4) Integer> b) {
        List<String> x = a.stream().map(String::valueOf).toList();
        List<String> y = b.stream().map(String::valueOf).toList();
        String diff = UnifiedDiff.of("a", text(x), "b", text(y));
        assertThat(diff.isEmpty()).isEqualTo(x.equals(y));
        assertThat(apply(x, diff)).isEqualTo(y);
    }

    private static String text(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");

    /** A strict patch: context and deleted lines must match where the header says. */
    private static List<String> apply(List<String> a, String diff) {
        if (diff.isEmpty()) {
            return a;
        }
        List<String> lines = diff.lines().toList();
        List<String> out = new ArrayList<>();
        int next = 0;
        for (int i = 2; i < lines.size(); i++) {
            Matcher m = HUNK.matcher(lines.get(i));
            assertThat(m.matches()).as("hunk header %s", lines.get(i)).isTrue();
            int start = Integer.parseInt(m.group(1));
            int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            int from = count == 0 ? start : start - 1;
            while (next < from) {
                out.add(a.get(next++));
            }
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).startsWith("@@")) {
                String l = lines.get(j);
                char op = l.charAt(0);
                String body = l.substring(1);
                if (op == ' ' || op == '-') {
                    assertThat(a.get(next)).isEqualTo(body);
                    next++;
                }
                if (op == ' ' || op == '+') {
                    out.add(body);
                }
                j++;
            }
            i = j - 1;
        }
        while (next < a.size()) {
            out.add(a.get(next++));
        }
        return out;
    }
}
