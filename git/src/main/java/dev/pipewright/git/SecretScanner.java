package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds secrets in the text of one file.
 *
 * <p>One pass over the text finds every keyword of every rule ({@link SecretKeywords}); a
 * line-scoped rule then runs its pattern on the lines holding one of its keywords only, a
 * text-scoped rule (multi-line keys) on the whole text when one of its keywords occurs. A match
 * is reported unless it is below the rule's entropy, fails the rule's check, is a {@linkplain
 * Decoys decoy}, overlaps a match of an earlier rule, or sits on a line allowed by {@code
 * pipewright:allow <reason>} (on the line itself or alone on the line before). The marker counts
 * only after a comment opener on its line ({@code #}, {@code //}, {@code /*}, {@code <!--}, {@code
 * --}, <code>{#</code>, or {@code *}, {@code ;}, {@code %} starting the line), so that code naming
 * it is neither. An allow comment without a reason suppresses nothing and is reported as rule
 * {@value #ALLOW_WITHOUT_REASON}. Lock files are skipped by name.
 *
 * <p>Immutable and thread-safe.
 */
final class SecretScanner {
    static final String ALLOW_WITHOUT_REASON = "allow-without-reason";
    static final String ALLOW_MARKER = "pipewright:allow";
    static final Set<String> LOCK_FILES =
            Set.of("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                    "Gemfile.lock", "poetry.lock", "Cargo.lock", "go.sum", "composer.lock", "Pipfile.lock",
                    ".terraform.lock.hcl");

    /** What may open the comment holding an allow marker, in the common comment syntaxes. */
    private static final Pattern COMMENT_OPENER =
            Pattern.compile("#|//|/\\*|<!--|(?:^|\\s)--|\\{#|^\\s*[*;%]");

    private final List<SecretRule> rules;
    private final SecretKeywords keywords;
    /** Keyword index → indexes of the rules it enables; the last keyword is the allow marker. */
    private final int[][] rulesOfKeyword;
    /** Rule index, keyword index → how far before the keyword a match may start; -1 unknown. */
    private final int[][] leads;
    private final int marker;

    private SecretScanner(List<SecretRule> rules) {
        this.rules = List.copyOf(rules);
        Map<String, List<Integer>> byKeyword = new LinkedHashMap<>();
        for (int i = 0; i < this.rules.size(); i++) {
            for (String keyword : this.rules.get(i).keywords()) {
                byKeyword.computeIfAbsent(keyword, k -> new ArrayList<>()).add(i);
            }
        }
        byKeyword.putIfAbsent(ALLOW_MARKER, new ArrayList<>());
        List<String> words = new ArrayList<>(byKeyword.keySet());
        words.remove(ALLOW_MARKER);
        words.add(ALLOW_MARKER);
        this.keywords = new SecretKeywords(words);
        this.rulesOfKeyword = new int[words.size()][];
        for (int k = 0; k < words.size(); k++) {
            rulesOfKeyword[k] = byKeyword.get(words.get(k)).stream().mapToInt(Integer::intValue)
                    .toArray();
        }
        this.marker = words.size() - 1;
        this.leads = new int[this.rules.size()][words.size()];
        for (int r = 0; r < this.rules.size(); r++) {
            for (String keyword : this.rules.get(r).keywords()) {
                leads[r][words.indexOf(keyword)] = this.rules.get(r).lead(keyword);
            }
        }
    }

    static SecretScanner defaults() {
        return of(SecretRules.defaults());
    }

    static SecretScanner of(List<SecretRule> rules) {
        return new SecretScanner(checkNotNull(rules, "rules"));
    }

    List<SecretRule> rules() {
        return rules;
    }

    /** Whether a file is skipped by name (lock files hold hashes, not secrets). */
    static boolean isSkipped(String path) {
        String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        return LOCK_FILES.contains(name);
    }

    /** The findings in {@code content}, ordered by line and column; never the secret itself. */
    List<SecretFinding> scan(String path, String content) {
        return scan(path, content, 0, content.length());
    }

    /**
     * The findings in {@code content} that start at an offset in {@code [from, to)}, with lines
     * counted from the start of {@code content}. The text around the range is read as context, so
     * that a window of a larger text reports what a scan of the whole text would.
     */
    List<SecretFinding> scan(String path, String content, int from, int to) {
        checkNotNull(path, "path");
        checkNotNull(content, "content");
        if (isSkipped(path)) {
            return List.of();
        }
        // One byte a character: offsets carry over, and no keyword holds the '?' of other characters.
        byte[] text = content.getBytes(StandardCharsets.ISO_8859_1);
        SecretKeywords.Hits hits = keywords.find(text);
        if (hits.count == 0) {
            return List.of();
        }
        return scan(path, content, text, text.length, hits, from, to);
    }

    /**
     * The findings in UTF-8 {@code bytes}, as {@link #scan(String, String)} finds them in their text.
     * Keywords are searched in the bytes first, so that text without any is never decoded, and
     * ASCII bytes are not decoded at all: they serve as the text's characters.
     */
    List<SecretFinding> scanUtf8(String path, byte[] bytes) {
        return scanUtf8(path, bytes, bytes.length);
    }

    /** As {@link #scanUtf8(String, byte[])}, for the first {@code length} bytes. */
    List<SecretFinding> scanUtf8(String path, byte[] bytes, int length) {
        checkNotNull(path, "path");
        if (isSkipped(path)) {
            return List.of();
        }
        SecretKeywords.Hits hits = keywords.find(bytes, length);
        if (hits.count == 0) {
            return List.of();
        }
        if (SecretAsciiText.isAscii(bytes, length)) {
            return scan(path, new SecretAsciiText(bytes, 0, length), bytes, length, hits, 0, length);
        }
        String content = new String(bytes, 0, length, StandardCharsets.UTF_8);
        return scan(path, content, 0, content.length());
    }

    private List<SecretFinding> scan(String path, CharSequence content, byte[] text, int length,
            SecretKeywords.Hits hits, int from, int to) {
        int[][] byRule = hitsByRule(hits);
        Scan scan = new Scan(path, content, text, length, from, to);
        if (byRule[rules.size()].length > 0) {
            scan.allowComments(hits, byRule[rules.size()]);
        }
        for (int r = 0; r < rules.size(); r++) {
            int[] ruleHits = byRule[r];
            if (ruleHits.length == 0) {
                continue;
            }
            SecretRule rule = rules.get(r);
            Matcher m = rule.pattern().matcher(content);
            if (rule.scope() == SecretRule.Scope.LINE) {
                // Lookarounds (\\b) see past the region; $ matches at line ends, not region ends.
                m.useTransparentBounds(true).useAnchoringBounds(false);
                int searched = -1; // end of the last line searched whole
                int matched = -1; // end of the last match: the next starts after it, as find() would
                for (int h : ruleHits) {
                    int at = hits.offset[h];
                    int lineStart = hits.lineStart[h];
                    int lead = leads[r][hits.keyword[h]];
                    if (lead < 0) {
                        if (at >= searched) {
                            searched = lineEnd(text, length, at);
                            m.region(lineStart, searched);
                            while (m.find()) {
                                scan.accept(rule, m, hits.line[h], lineStart);
                            }
                        }
                        continue;
                    }
                    int lineEnd = -1;
                    for (int start = Math.max(Math.max(lineStart, at - lead), matched); start <= at;
                            start++) {
                        if (lineEnd < 0) {
                            lineEnd = lineEnd(text, length, at);
                        }
                        m.region(start, lineEnd);
                        if (m.lookingAt()) {
                            scan.accept(rule, m, hits.line[h], lineStart);
                            matched = m.end();
                            break;
                        }
                    }
                }
            } else {
                while (m.find()) {
                    scan.accept(rule, m, 0, -1);
                }
            }
        }
        scan.findings.sort(Comparator.comparingInt(SecretFinding::line)
                .thenComparingInt(SecretFinding::column));
        return List.copyOf(scan.findings);
    }

    /** For each rule, then for the allow marker, the indexes of the hits of its keywords. */
    private int[][] hitsByRule(SecretKeywords.Hits hits) {
        int[] counts = new int[rules.size() + 1];
        for (int h = 0; h < hits.count; h++) {
            int k = hits.keyword[h];
            if (k == marker) {
                counts[rules.size()]++;
            }
            for (int r : rulesOfKeyword[k]) {
                counts[r]++;
            }
        }
        int[][] byRule = new int[rules.size() + 1][];
        for (int r = 0; r <= rules.size(); r++) {
            byRule[r] = new int[counts[r]];
            counts[r] = 0;
        }
        for (int h = 0; h < hits.count; h++) {
            int k = hits.keyword[h];
            if (k == marker) {
                byRule[rules.size()][counts[rules.size()]++] = h;
            }
            for (int r : rulesOfKeyword[k]) {
                byRule[r][counts[r]++] = h;
            }
        }
        return byRule;
    }

    /** The end of the line holding {@code at}, after its newline; the text's end without one. */
    private static int lineEnd(byte[] text, int length, int at) {
        for (int i = at; i < length; i++) {
            if (text[i] == '\n') {
                return i + 1;
            }
        }
        return length;
    }

    /** The state of one scan: findings, spans taken, lines allowed. */
    private static final class Scan {
        final String path;
        final CharSequence content;
        final byte[] text;
        final int length;
        final int from;
        final int to;
        final List<SecretFinding> findings = new ArrayList<>();
        final Set<Integer> allowedLines = new HashSet<>();
        final TreeMap<Integer, Integer> taken = new TreeMap<>(); // start -> end of reported secrets
        int @Nullable [] lineStarts;

        Scan(String path, CharSequence content, byte[] text, int length, int from, int to) {
            this.path = path;
            this.content = content;
            this.text = text;
            this.length = length;
            this.from = from;
            this.to = to;
        }

        /**
         * Reports the current match of {@code m} unless it is no secret or overlaps a reported one:
         * on line {@code line} starting at {@code lineStart}, or anywhere in the text when {@code
         * lineStart} is negative.
         */
        void accept(SecretRule rule, Matcher m, int line, int lineStart) {
            int group = secretGroup(m);
            String secret = m.group(group);
            int start = m.start(group);
            int end = m.end(group);
            if (Decoys.entropy(secret) < rule.minEntropy()
                    || Decoys.isDecoy(secret)
                    || overlaps(taken, start, end)
                    || !rule.check().test(secret)) {
                return;
            }
            taken.put(start, end);
            int first = lineStart >= 0 ? line : lineOf(start);
            int firstStart = lineStart >= 0 ? lineStart : lineStarts()[first - 1];
            int last = lineStart >= 0 ? line : lineOf(Math.max(start, end - 1));
            if (start >= from && start < to && !allowedLines.contains(first)) {
                findings.add(SecretFinding.of(path, rule.id(), first, start - firstStart + 1, last,
                        secret));
            }
        }

        void allowComments(SecretKeywords.Hits hits, int[] markers) {
            for (int h : markers) {
                int at = hits.offset[h];
                int line = hits.line[h];
                int lineStart = hits.lineStart[h];
                String before = content.subSequence(lineStart, at).toString();
                if (!COMMENT_OPENER.matcher(before).find()) {
                    continue; // the marker in code or data, such as a constant naming it, is no comment
                }
                String reason = reason(content.subSequence(at + ALLOW_MARKER.length(),
                        lineEnd(text, length, at)).toString());
                if (reason.isEmpty()) {
                    if (at >= from && at < to) {
                        findings.add(SecretFinding.of(path, ALLOW_WITHOUT_REASON, line, at - lineStart + 1,
                                line, ALLOW_MARKER));
                    }
                    continue;
                }
                allowedLines.add(line);
                before = before.strip();
                if (before.isEmpty() || before.matches("(?://|#|/\\*|\\*|<!--|--|;)+")) {
                    allowedLines.add(line + 1); // a comment alone on its line covers the next line
                }
            }
        }

        private int[] lineStarts() {
            if (lineStarts == null) {
                int[] starts = new int[64];
                int n = 0;
                starts[n++] = 0;
                for (int i = 0; i < length; i++) {
                    if (text[i] == '\n') {
                        if (n == starts.length) {
                            starts = Arrays.copyOf(starts, n * 2);
                        }
                        starts[n++] = i + 1;
                    }
                }
                lineStarts = Arrays.copyOf(starts, n);
            }
            return lineStarts;
        }

        /** 1-based line of an offset. */
        private int lineOf(int offset) {
            int i = Arrays.binarySearch(lineStarts(), offset);
            return i >= 0 ? i + 1 : -i - 1;
        }
    }

    /** The last group that matched: alternatives leave the others null, and context comes first. */
    private static int secretGroup(Matcher m) {
        for (int g = m.groupCount(); g >= 1; g--) {
            if (m.group(g) != null) {
                return g;
            }
        }
        return 0;
    }

    /** Taken spans never overlap, so only the last one starting before {@code end} can. */
    private static boolean overlaps(TreeMap<Integer, Integer> taken, int start, int end) {
        Map.Entry<Integer, Integer> before = taken.floorEntry(end - 1);
        return before != null && before.getValue() > start;
    }

    /** The reason after the marker: at least three letters, comment closers removed. */
    static String reason(String rest) {
        String reason = rest.replaceAll("(\\*/|-->|#}|%>)\\s*$", "").strip();
        reason = reason.replaceFirst("^[:\\-\u2013\u2014=]+", "").strip();
        long letters = reason.chars().filter(Character::isLetter).count();
        return letters >= 3 ? reason : "";
    }
}
