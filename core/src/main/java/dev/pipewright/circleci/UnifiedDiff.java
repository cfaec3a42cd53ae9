package dev.pipewright.circleci;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff in unified format ({@code --- a}, {@code +++ b}, {@code @@ -l,n +l,n @@} hunks with
 * three lines of context), computed with Myers' O(ND) algorithm so that a small change to a large
 * file stays cheap.
 */
final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** An edit: keep, delete (from {@code a}) or insert (from {@code b}) one line. */
    private record Edit(char op, String line, int aLine, int bLine) {
    }

    /** The unified diff from {@code a} to {@code b}; empty when their lines are equal. */
    static String of(String aName, String a, String bName, String b) {
        List<String> x = a.lines().toList();
        List<String> y = b.lines().toList();
        List<Edit> edits = edits(x, y);
        if (edits.stream().allMatch(e -> e.op() == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder("--- ").append(aName).append('\n').append("+++ ").append(bName).append('\n');
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // Extend the hunk while changes are closer than twice the context.
            while (true) {
                int next = end;
                while (next < edits.size() && edits.get(next).op() != ' ') {
                    next++;
                }
                int gap = next;
                while (gap < edits.size() && edits.get(gap).op() == ' ') {
                    gap++;
                }
                if (gap < edits.size() && gap - next <= 2 * CONTEXT) {
                    end = gap;
                } else {
                    end = Math.min(edits.size(), next + CONTEXT);
                    break;
                }
            }
            hunk(out, edits.subList(start, end));
            i = end;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Edit> hunk) {
        int aStart = -1;
        int bStart = -1;
        int aCount = 0;
        int bCount = 0;
        for (Edit e : hunk) {
            if (e.op() != '+') {
                aCount++;
                aStart = aStart < 0 ? e.aLine() : aStart;
            }
            if (e.op() != '-') {
                bCount++;
                bStart = bStart < 0 ? e.bLine() : bStart;
            }
        }
        out.append("@@ -").append(range(aStart, aCount, hunk.get(0).aLine())).append(" +")
                .append(range(bStart, bCount, hunk.get(0).bLine())).append(" @@\n");
        for (Edit e : hunk) {
            out.append(e.op()).append(e.line()).append('\n');
        }
    }

    private static String range(int start, int count, int fallback) {
        int first = count == 0 ? fallback - 1 : start;
        return count == 1 ? String.valueOf(first) : first + "," + count;
    }

    /** Myers' greedy algorithm with a trace of the furthest paths, then a walk back. */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int max = n + m;
        int offset = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= max && found < 0; d++) {
            trace.add(v.clone());
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1]
                        : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break;
                }
            }
        }
        List<Edit> reversed = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = found; d > 0; d--) {
            int[] previous = trace.get(d);
            int k = x - y;
            int prevK = k == -d || (k != d && previous[offset + k - 1] < previous[offset + k + 1]) ? k + 1 : k - 1;
            int prevX = previous[offset + prevK];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                reversed.add(new Edit(' ', a.get(x - 1), x, y));
                x--;
                y--;
            }
            if (x == prevX) {
                reversed.add(new Edit('+', b.get(y - 1), x + 1, y));
            } else {
                reversed.add(new Edit('-', a.get(x - 1), x, y + 1));
            }
            x = prevX;
            y = prevY;
        }
        while (x > 0 && y > 0) {
            reversed.add(new Edit(' ', a.get(x - 1), x, y));
            x--;
            y--;
        }
        List<Edit> edits = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            edits.add(reversed.get(i));
        }
        return edits;
    }
}
